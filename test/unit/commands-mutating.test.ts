import { present } from '../../src/cards/presenter';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands';
import { createCommandRegistry, DEFAULT_CHANGE_SETTINGS, tokenize } from '../../src/commands';
import { rotateCommand } from '../../src/operations/rotate/rotate.command';
import { deleteCommand } from '../../src/operations/delete/delete.command';
import { convertCommand } from '../../src/operations/convert/convert.command';
import { buildHelpView } from '../../src/cards/help-view';
import { endpoint, NOW } from './planners-fixture';
import { mutatingContext, run } from './commands-mutating-fixture';
import type { RotateItem } from '../../src/operations/rotate/rotate.payload';
import { OPERATIONS } from '../../src/operations/operations';

const json = (reply: Reply) => JSON.stringify(present(reply));

describe('rotate command', () => {
  it('parses name, project, Key Vault source and lifetime in any order', () => {
    expect(rotateCommand.parse(tokenize('sc-prod'))).toEqual({ ok: true, value: { name: 'sc-prod', source: { kind: 'graph' } } });
    expect(rotateCommand.parse(tokenize('"sc prod" expires 90d in Payments'))).toEqual({ ok: true, value: { name: 'sc prod', project: 'Payments', source: { kind: 'graph' }, expiresDays: 90 } });
    expect(rotateCommand.parse(tokenize('sc-staging from keyvault kv-payments/sc-staging in Payments'))).toEqual({
      ok: true, value: { name: 'sc-staging', project: 'Payments', source: { kind: 'keyvault', vault: 'kv-payments', secretName: 'sc-staging' } },
    });
  });

  it.each(['sc-prod expires 0d', 'sc-prod expires 731d', 'sc-prod expires soon', 'sc-prod from vault x/y', 'sc-prod from keyvault nothing', 'sc-prod from keyvault kv/s expires 30d', 'expires 30d'])('refuses `rotate %s` with its usage', (text) => {
    expect(rotateCommand.parse(tokenize(text)).ok).toBe(false);
  });

  it('accepts the lifetime bounds 1d and 730d', () => {
    expect(rotateCommand.parse(tokenize('sc-prod expires 1d'))).toMatchObject({ ok: true, value: { expiresDays: 1 } });
    expect(rotateCommand.parse(tokenize('sc-prod expires 730d'))).toMatchObject({ ok: true, value: { expiresDays: 730 } });
  });

  it('answers with the preview card, saves the plan, and reads only the lookup and one history page', async () => {
    const { ctx, endpoints, plans } = mutatingContext();
    const reply = await run('rotate sc-prod', ctx);
    expect(reply.kind).toBe('card');
    expect(reply.text).toMatch(/^Plan P-[2-9A-Z]{8}: rotate sc-prod, awaiting approval\.$/);
    const saved = plans.all();
    expect(saved).toHaveLength(1);
    expect(json(reply)).toContain(saved[0]!.id);
    expect(saved[0]).toMatchObject({ operation: 'rotate', command: 'rotate sc-prod', createdAt: NOW.toISOString() });
    expect((saved[0]!.items[0] as RotateItem).secret).toMatchObject({ source: 'graph', expiresAt: '2027-05-21T06:00:00.000Z' });
    expect(endpoints.calls.map((c) => c.method).sort()).toEqual(['executionHistory', 'getByName', 'getByName', 'getByName', 'projects']);
  });

  it('uses the configured default lifetime, and `expires` over it', async () => {
    const { ctx, plans } = mutatingContext({ changes: { ...DEFAULT_CHANGE_SETTINGS, secretLifetimeDays: 30 } });
    await run('rotate sc-prod', ctx);
    await run('rotate sc-prod expires 7d', ctx);
    expect(plans.all().map((p) => (p.items[0] as RotateItem).secret)).toMatchObject([{ expiresAt: '2026-12-22T06:00:00.000Z' }, { expiresAt: '2026-11-29T06:00:00.000Z' }]);
  });

  it('plans a Key Vault source without Graph calls', async () => {
    const { ctx, plans } = mutatingContext();
    await run('rotate sc-staging from keyvault kv-payments/sc-staging-secret', ctx);
    const item = plans.all()[0]!.items[0] as RotateItem;
    expect(item.secret).toEqual({ source: 'keyvault', vault: 'kv-payments', secretName: 'sc-staging-secret' });
    expect(plans.all()[0]!.command).toBe('rotate sc-staging from keyvault kv-payments/sc-staging-secret');
  });

  it('refuses a WIF, certificate or managed-identity connection clearly, without reading history or saving a plan', async () => {
    const { ctx, endpoints, plans } = mutatingContext();
    expect((await run('rotate sc-wif-entra', ctx)).text).toBe('I can\'t rotate "sc-wif-entra": nothing to rotate: it uses workload identity federation, which has no secret. Say `show sc-wif-entra` for its details.');
    expect((await run('rotate sc-cert-platform', ctx)).text).toContain('certificate');
    expect((await run('rotate sc-msi', ctx)).text).toContain('a managed identity has no secret');
    expect(endpoints.count('executionHistory')).toBe(0);
    expect(plans.all()).toEqual([]);
  });

  it('suggests the closest name for an unknown connection', async () => {
    const { ctx, plans } = mutatingContext();
    const reply = await run('rotate sc-prd', ctx);
    expect(reply.text).toContain('I can\'t find a connection called "sc-prd". Did you mean `sc-prod`?');
    expect(json(reply)).toContain('"command":"rotate sc-prod in Payments"');
    expect(plans.all()).toEqual([]);
  });

  const SECRETS = [
    'Abc8Q~Zq3vR7tY1uI9oP2aS5dF8gH1jK4lZ7xC0vB',
    'secret=hunter2hunter2',
    'password: Winter2026!',
    'Zx9vQ2mN7pL4kR8sT1wY6bH3jF5dG0cA',
    '-----BEGIN PRIVATE KEY-----',
  ];

  it.each(SECRETS)('refuses a command carrying a secret (%#) without echoing, logging, storing or calling anything', async (secret) => {
    // Every mutating verb, including the bulk forms: the guard is the registry's, not each command's.
    for (const line of [`rotate sc-prod ${secret}`, `delete sc-prod ${secret}`, `delete failed ${secret}`, `convert all ${secret}`, `revert sc-prod ${secret}`]) {
      const { ctx, endpoints, plans, lines } = mutatingContext();
      const reply = await run(line, ctx);
      expect(reply.text).toContain('That looks like a secret value');
      expect(json(reply)).not.toContain(secret);
      expect(lines.join('')).not.toContain(secret);
      expect(endpoints.calls).toEqual([]);
      expect(plans.all()).toEqual([]);
    }
  });

  it('does not mistake ordinary connection names for secrets', () => {
    for (const name of ['sc-prod', 'very-long-connection-name-very-long-connection-name-2024', 'Data-Lake-2024-Prod-WestEurope', 'c4b0538f-d8e5-59a1-948e-393146f1805c', 'sc prod — Zürich 🚀']) {
      expect(rotateCommand.parse(tokenize(`"${name}"`))).toMatchObject({ ok: true, value: { name } });
    }
  });
});

describe('delete command', () => {
  it('parses a name with flags, `delete failed`, and a connection literally called "failed"', () => {
    expect(deleteCommand.parse(tokenize('sc-old everywhere deep in Payments'))).toEqual({ ok: true, value: { kind: 'one', name: 'sc-old', project: 'Payments', everywhere: true, deep: true } });
    expect(deleteCommand.parse(tokenize('failed in Platform'))).toEqual({ ok: true, value: { kind: 'failed', project: 'Platform' } });
    expect(deleteCommand.parse(tokenize('"failed"'))).toEqual({ ok: true, value: { kind: 'one', name: 'failed', everywhere: false, deep: false } });
    expect(deleteCommand.parse(tokenize('failed deep')).ok).toBe(false);
    expect(deleteCommand.parse(tokenize('deep')).ok).toBe(false);
  });

  it('`delete failed` plans exactly the failed connections: one list per project, one history read per failed one', async () => {
    const { ctx, endpoints, plans } = mutatingContext();
    const reply = await run('delete failed', ctx);
    const plan = plans.all()[0]!;
    expect(plan.items.map((i) => i.name).sort()).toEqual(['sc-failed-mi', 'sc-failed-rbac', 'sc-failed-secret']);
    expect(reply.text).toBe(`Plan ${plan.id}: delete 3 connections, awaiting approval.`);
    expect(endpoints.calls.filter((c) => c.method === 'list').map((c) => c.args[1])).toEqual([{ includeFailed: true }, { includeFailed: true }, { includeFailed: true }]);
    expect(endpoints.count('executionHistory')).toBe(3);
    expect(endpoints.count('getByName')).toBe(0);
  });

  it('`delete failed in <project>` looks at that project only', async () => {
    const { ctx, endpoints, plans } = mutatingContext();
    await run('delete failed in Platform', ctx);
    expect(plans.all()[0]!.items.map((i) => i.name)).toEqual(['sc-failed-rbac']);
    expect(endpoints.calls.filter((c) => c.method === 'list').map((c) => c.args[0])).toEqual(['Platform']);
  });

  it('unshares a shared connection from the addressed project, or deletes it everywhere (deep) loudly', async () => {
    const { ctx, plans } = mutatingContext();
    // A shared connection may have another name in each project: it is found and shown by that name.
    await run('delete "registry (from Payments)" in Platform', ctx);
    const unshare = plans.all()[0]!.items[0]!;
    expect(unshare).toMatchObject({ name: 'registry (from Payments)', projectName: 'Platform', projectIds: [unshare.projectId] });
    expect(unshare.after?.serviceEndpointProjectReferences?.map((r) => r.projectReference.name)).toEqual(['Payments']);
    const loud = await run('delete sc-shared-registry everywhere deep', ctx);
    expect(json(loud)).toContain('🛑 Deep delete');
    expect(json(loud)).toContain('🛑 Will be deleted everywhere');
    expect(plans.all()[1]).toMatchObject({ command: 'delete sc-shared-registry everywhere deep', items: [{ deep: true, after: null }] });
  });
});

describe('convert command', () => {
  it('parses `convert all` and a connection literally called "all"', () => {
    expect(convertCommand.parse(tokenize('all in Payments'))).toEqual({ ok: true, value: { kind: 'all', project: 'Payments' } });
    expect(convertCommand.parse(tokenize('"all"'))).toEqual({ ok: true, value: { kind: 'one', name: 'all' } });
  });

  it('`convert all` plans exactly the eligible ones, lists the rest as skipped, reads history only for eligible ones', async () => {
    const { ctx, endpoints, plans } = mutatingContext();
    const reply = await run('convert all', ctx);
    const plan = plans.all()[0]!;
    expect(plan.items.map((i) => i.name).sort()).toEqual(['sc-dev', 'sc-prod', 'sc-sandbox']);
    expect(plan.skipped.map((s) => s.name)).toContain('sc-shared-registry');
    expect(plan.skipped.filter((s) => s.name === 'sc-shared-registry')).toHaveLength(1);
    expect(reply.text).toBe(`Plan ${plan.id}: convert 3 connections (${plan.skipped.length} skipped), awaiting approval.`);
    expect(endpoints.calls.filter((c) => c.method === 'list').map((c) => c.args[1])).toEqual(Array(3).fill({ includeFailed: true, type: 'azurerm' }));
    expect(endpoints.count('executionHistory')).toBe(3);
  });

  it('reads history with a small concurrency limit', async () => {
    const { ctx, endpoints } = mutatingContext({ changes: { ...DEFAULT_CHANGE_SETTINGS, historyConcurrency: 2 } });
    await run('convert all', ctx);
    expect(endpoints.count('executionHistory')).toBe(3);
    expect(endpoints.maxInFlight).toBe(2);
  });

  it('`convert all in <project>` with nothing eligible says so and saves nothing', async () => {
    const { ctx, plans } = mutatingContext();
    const reply = await run('convert all in Platform', ctx);
    expect(reply.text).toMatch(/^Plan P-\w+: convert 0 connections \(\d+ skipped\), nothing to change\.$/);
    expect(json(reply)).toContain('Nothing to change: every connection was skipped');
    expect(plans.all()).toEqual([]);
  });

  it('`convert <name>` plans one, or refuses with the reason', async () => {
    const { ctx, plans } = mutatingContext();
    expect((await run('convert sc-prod', ctx)).text).toMatch(/: convert sc-prod, awaiting approval\.$/);
    expect((await run('convert sc-staging', ctx)).text).toMatch(/^I can't convert "sc-staging": cannot be converted: created manually/);
    expect(plans.all()).toHaveLength(1);
  });
});

describe('revert command', () => {
  it('plans a revert within the window', async () => {
    const { ctx, plans } = mutatingContext();
    const reply = await run('revert sc-converted', ctx);
    expect(reply.text).toMatch(/: revert sc-converted, awaiting approval\.$/);
    expect(json(reply)).toContain('The revert window ends 2026-11-27 06:00 UTC (5 days left).');
    expect(plans.all()[0]!.items[0]!.after?.authorization?.scheme).toBe('ServicePrincipal');
  });

  it('refuses after the deadline, naming it, and refuses a connection never converted', async () => {
    const late = mutatingContext({ clock: { now: () => new Date('2026-11-28T00:00:00.000Z') } });
    expect((await run('revert sc-converted', late.ctx)).text).toContain('too late to revert: the revert window closed on 2026-11-27 06:00 UTC.');
    const { ctx, endpoints } = mutatingContext();
    expect((await run('revert sc-prod', ctx)).text).toContain('nothing to revert: it uses ServicePrincipal');
    expect(endpoints.count('executionHistory')).toBe(0);
  });
});

describe('no secret leaves the bot', () => {
  const COMMANDS = ['rotate sc-prod', 'rotate sc-staging from keyvault kv/s', 'rotate sc-wif-entra', 'delete failed', 'delete sc-shared-registry everywhere deep',
    'delete sc-prod', 'convert all', 'convert sc-prod', 'convert sc-staging', 'revert sc-converted', 'revert sc-prod'];

  it('even when the adapter hands back secret values: not in replies, saved plans or log lines', async () => {
    const { ctx, plans, lines } = mutatingContext({ leaky: true });
    expect(endpoint('sc-prod').authorization?.parameters?.serviceprincipalkey).toContain('CANARY');
    for (const text of COMMANDS) {
      const reply = await run(text, ctx);
      expect(json(reply)).not.toMatch(/CANARY|SEEDSECRET/);
    }
    expect(plans.all().length).toBeGreaterThan(5);
    expect(JSON.stringify(plans.all())).not.toMatch(/CANARY|SEEDSECRET/);
    expect(lines.join('')).not.toMatch(/CANARY|SEEDSECRET/);
  });
});

describe('help', () => {
  it('lists the mutating commands but never offers them as one-click quick actions', () => {
    const view = buildHelpView(createCommandRegistry().commands());
    const verbs = (title: string) => view.groups.find((g) => g.title.startsWith(title))?.commands.map((c) => c.usage.split(' ')[0]);
    expect(verbs('Look')).toEqual(['help', 'welcome', 'list', 'show', 'health', 'access']);
    expect(verbs('Fix')).toEqual(OPERATIONS.flatMap((o) => o.commands.map((c) => c.id)));
    expect(verbs('Alerts')).toEqual(['alerts', 'agents']);
    expect(verbs('Audit')).toEqual(['audit', 'policy']);
    expect(view.quickActions.map((a) => a.command)).toEqual(['list failed', 'health', 'alerts on']);
  });
});
