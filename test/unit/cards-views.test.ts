import { describe, expect, it } from 'vitest';
import { buildDetailView, detailSummaryText } from '../../src/cards/connection-detail-view';
import { formatUtc, truncate } from '../../src/cards/format';
import { quoteArg } from '../../src/domain/command-line';
import { buildHelpView } from '../../src/cards/help-view';
import { buildListView, FAILED_PAGE_SIZE, LIST_PAGE_SIZE, toConnectionRow } from '../../src/cards/connection-list-view';
import { history, NOW, PAYMENTS, SC_BROKEN, SC_DEV, SC_PROD, SC_SHARED } from './commands-fixture';

describe('list view', () => {
  const rows = [toConnectionRow('Payments', SC_PROD), toConnectionRow('Payments', SC_BROKEN), toConnectionRow('Platform', SC_SHARED)];

  it('describes each connection in one line: name, type, scheme, creation mode, state (with an icon, never a text colour), sharing', () => {
    const view = buildListView({ rows, filter: 'all', hiddenFailed: 0, projectCount: 2, page: 1, command: 'list all' });
    expect(view.groups.map((g) => ({ heading: g.heading, rows: g.rows.map((r) => r.text) }))).toEqual([
      { heading: 'Payments (2)', rows: [
        '**sc-prod** · azurerm · WorkloadIdentityFederation · Automatic · Ready',
        '**sc-broken** · azurerm · ServicePrincipal · Automatic · ❌ Failed',
      ] },
      { heading: 'Platform (1)', rows: ['**sc-shared** · azurerm · ServicePrincipal · Manual · Ready · shared (2 projects)'] },
    ]);
    expect(view.summary).toBe('3 connections in 2 projects · 1 failed');
    expect(view.actions).toEqual([]);
  });

  it('opens a row with `show`, pinned to its connection; a failed row says why, with no fix button outside `list failed`', () => {
    const view = buildListView({ rows, filter: 'all', hiddenFailed: 0, projectCount: 2, page: 1, command: 'list all' });
    const [prod, broken] = view.groups[0]!.rows;
    expect(prod).toMatchObject({ tap: true, data: { command: 'show sc-prod in Payments', connectionId: SC_PROD.id, projectId: PAYMENTS.id }, hasReason: false, hasFixes: false });
    expect(broken).toMatchObject({ tap: true, reason: 'Failed to create an app in Microsoft Entra ID. Insufficient privileges.', hasFixes: false });
  });

  it('on `list failed` each row has the fix that fits: Rotate for a secret Entra refuses, Delete otherwise; and Delete all failed', () => {
    const expired = { ...SC_DEV, id: 'aaaaaaaa-0000-4000-8000-00000000e001', name: 'sc-expired', isReady: false, operationStatus: { state: 'Failed', statusMessage: "Failed to obtain the Json Web Token(JWT) using service principal client ID. Exception Message: AADSTS7000222: The provided client secret keys for app 'x' are expired." } };
    const failed = [toConnectionRow('Payments', SC_BROKEN), toConnectionRow('Payments', expired)];
    const view = buildListView({ rows: failed, filter: 'failed', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list failed in Payments', deleteAllCommand: 'delete failed in Payments' });
    const [broken, secret] = view.groups[0]!.rows;
    expect(broken?.fixes.map((f) => [f.title, f.command, f.data.connectionId])).toEqual([['Delete', 'delete sc-broken in Payments', SC_BROKEN.id]]);
    expect(secret?.reason).toBe('Its client secret has expired: a new secret fixes it.');
    expect(secret?.fixes.map((f) => [f.title, f.command, f.data.connectionId])).toEqual([['Rotate', 'rotate sc-expired in Payments', expired.id]]);
    expect(view.actions.map((a) => [a.title, a.command])).toEqual([['Delete all failed', 'delete failed in Payments']]);
    // Nothing failed: nothing to delete.
    expect(buildListView({ rows: [], filter: 'failed', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list failed', deleteAllCommand: 'delete failed' }).actions).toEqual([]);
  });

  it('pages failed connections by FAILED_PAGE_SIZE (each row carries a reason and a button)', () => {
    const many = Array.from({ length: FAILED_PAGE_SIZE + 3 }, () => toConnectionRow('Payments', SC_BROKEN));
    const view = buildListView({ rows: many, filter: 'failed', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list failed' });
    expect([view.pageCount, view.groups[0]!.rows.length]).toEqual([2, FAILED_PAGE_SIZE]);
  });

  it('clamps the page and pages by LIST_PAGE_SIZE', () => {
    const many = Array.from({ length: 95 }, () => rows[0]!);
    const view = buildListView({ rows: many, filter: 'usable', hiddenFailed: 1, projectCount: 1, page: 99, command: 'list' });
    expect([view.page, view.pageCount, view.hasNext, view.hasPrevious, view.previousCommand]).toEqual([3, 3, false, true, 'list page 2']);
    expect(view.groups[0]!.rows).toHaveLength(95 - 2 * LIST_PAGE_SIZE);
    expect(view.summary).toBe('95 connections in 1 project · 1 failed connection not shown (say `list failed`)');
  });

  it('truncates very long names in the list (the detail card shows them whole)', () => {
    const row = { ...rows[0]!, name: 'x'.repeat(500) };
    const text = buildListView({ rows: [row], filter: 'all', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list' }).groups[0]!.rows[0]!.text;
    expect(text.startsWith(`**${'x'.repeat(99)}…**`)).toBe(true);
  });
});

describe('detail view', () => {
  it('lists non-secret facts only, even when handed an unredacted endpoint', () => {
    const view = buildDetailView({ endpoint: SC_DEV, project: 'Payments', executions: [], now: NOW });
    expect(JSON.stringify(view)).not.toContain('SEEDSECRET-');
    expect(view.facts.map((f) => f.title)).toEqual(['Project', 'Type', 'URL', 'Scheme', 'Auth type', 'Tenant', 'Client id', 'Subscription', 'Creation mode', 'State', 'Shared', 'Id']);
  });

  it('warns about the retiring issuer and says when the revert window has closed', () => {
    const view = buildDetailView({ endpoint: SC_PROD, project: 'Payments', executions: history(SC_PROD, 2), now: new Date('2026-12-01T00:00:00Z') });
    expect(view.warnings[0]!.text).toContain('retires on 2027-07-01');
    expect(view.warnings[0]!.text).toContain(`say \`migrate issuer ${SC_PROD.name} in Payments\``);
    expect(view.facts.find((f) => f.title === 'Revert possible until')?.value).toBe('2026-11-25 05:00 UTC (expired)');
    expect(view.executions).toEqual([
      { text: '❌ failed · pipeline-1 · 2026-11-20 10:05 UTC' },
      { text: '✅ succeeded · pipeline-2 · 2026-11-21 10:05 UTC' },
    ]);
  });

  it('offers the changes its state allows, each pinned to it: a secret can be rotated (Manual: not converted), Access always', () => {
    const titles = (view: { actions: { title: string }[] }) => view.actions.map((a) => a.title);
    const dev = buildDetailView({ endpoint: SC_DEV, project: 'Payments', executions: [], now: NOW });
    expect(dev.actions.map((a) => [a.title, a.command, a.data.connectionId])).toEqual([['Rotate', 'rotate sc-dev in Payments', SC_DEV.id], ['Access', 'access sc-dev in Payments', SC_DEV.id]]);
    // Automatic with a secret: Convert too.
    expect(titles(buildDetailView({ endpoint: { ...SC_DEV, data: { creationMode: 'Automatic' } }, project: 'Payments', executions: [], now: NOW }))).toEqual(['Rotate', 'Convert', 'Access']);
    // Converted, within the window: Revert; after it, not.
    expect(titles(buildDetailView({ endpoint: SC_PROD, project: 'Payments', executions: [], now: NOW }))).toEqual(['Revert', 'Access']);
    expect(titles(buildDetailView({ endpoint: SC_PROD, project: 'Payments', executions: [], now: new Date('2026-12-01T00:00:00Z') }))).toEqual(['Access']);
    // Failed, not for a secret: Delete, never Rotate; disabled: Enable.
    expect(titles(buildDetailView({ endpoint: SC_BROKEN, project: 'Payments', executions: [], now: NOW }))).toEqual(['Access', 'Delete']);
    expect(titles(buildDetailView({ endpoint: { ...SC_DEV, isDisabled: true }, project: 'Payments', executions: [], now: NOW }))).toEqual(['Rotate', 'Enable', 'Access']);
  });

  it('says when the secret ends, as the radar\'s last scan found it', () => {
    const view = buildDetailView({ endpoint: SC_DEV, project: 'Payments', executions: [], now: NOW, secretEnds: { at: '2026-11-30T00:00:00.000Z', scannedAt: '2026-11-22T04:00:00.000Z' } });
    expect(view.facts.find((f) => f.title === 'Client secret')?.value).toBe('ends 2026-11-30 00:00 UTC (my scan of 2026-11-22 04:00 UTC)');
  });

  it('carries the failure message of a failed connection into the summary', () => {
    const view = buildDetailView({ endpoint: SC_BROKEN, project: PAYMENTS.name!, executions: [], now: NOW });
    expect(view.hasFailure).toBe(true);
    expect(detailSummaryText(view)).toBe('sc-broken: azurerm · ServicePrincipal · Failed · Payments · failed: Failed to create an app in Microsoft Entra ID. Insufficient privileges.');
  });
});

describe('help view and formatting', () => {
  it('turns registry entries into one line each under its group, the syntax behind the toggle, and the start buttons', () => {
    const view = buildHelpView([
      { id: 'list', usage: 'list [failed] [in <project>]', summary: 'List service connections. Failed ones are hidden.', examples: ['list failed'], aliases: ['ls'] },
      { id: 'rotate', usage: 'rotate <name>', summary: 'Give a connection a new secret: a preview, then approval.', examples: [], mutates: true },
      { id: 'audit', usage: 'audit', summary: 'Show the audit trail.', examples: ['audit'], group: 'audit' },
    ]);
    expect(view.groups.map((g) => [g.title.split(' ')[0], g.commands.map((c) => c.line)])).toEqual([
      ['Look', ['**list** · List service connections']], ['Fix', ['**rotate** · Give a connection a new secret']], ['Audit', ['**audit** · Show the audit trail']],
    ]);
    expect(view.groups[0]?.commands[0]).toMatchObject({ summary: 'List service connections. Failed ones are hidden. (also: ls)', usage: 'list [failed] [in ‹project›]', examples: 'e.g. `list failed`', syntaxId: 'syntax-0' });
    expect(view.syntaxIds).toEqual(['syntax-0', 'syntax-1', 'syntax-2']);
    expect(view.quickActions.map((a) => [a.title, a.command])).toEqual([["What's broken", 'list failed'], ['Health', 'health'], ['Alerts here', 'alerts on']]);
  });

  it('formats times, truncation and quoting', () => {
    expect(formatUtc('2026-11-22T05:06:07Z')).toBe('2026-11-22 05:06 UTC');
    expect(formatUtc('not a date')).toBe('not a date');
    expect(formatUtc(undefined)).toBeUndefined();
    expect(truncate('🚀🚀🚀', 2)).toBe('🚀…');
    expect(quoteArg('Data Science')).toBe('"Data Science"');
    expect(quoteArg('Payments')).toBe('Payments');
  });
});
