import { describe, expect, it } from 'vitest';
import { buildAlertStatusView } from '../../src/cards/alert-status-view';
import { buildAlertView, findingActions } from '../../src/cards/alert-view';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { findingOf, statusInput } from './alert-fixture';

describe('the retiring-issuer alert and alerts status', () => {
  it('the alert leads with Migrate, a command the registry parses into the normal `migrate issuer` plan', () => {
    const f = findingOf('retiring-issuer', 3, { name: 'sc wif legacy', project: 'Data Science' });
    const actions = findingActions(f);
    expect(actions).toMatchObject([
      { title: 'Migrate', command: 'migrate issuer "sc wif legacy" in "Data Science"', data: { connectionId: f.endpointId } },
      { title: 'Show', command: 'show "sc wif legacy" in "Data Science"', data: { connectionId: f.endpointId } },
    ]);
    const [verb, ...args] = tokenize(actions[0]!.command);
    const command = createCommandRegistry().commands().find((c) => c.id === verb?.value);
    expect(command?.parse(args)).toEqual({ ok: true, value: { kind: 'one', name: 'sc wif legacy', project: 'Data Science' } });
    expect(buildAlertView(f).advice).toContain('Migrate plans the move');
  });

  it('alerts status counts the connections left on the old issuer and the days to 2027-07-01, with a button', () => {
    const findings = [findingOf('retiring-issuer', 1), findingOf('retiring-issuer', 2), findingOf('failed', 3)];
    const view = buildAlertStatusView(statusInput(findings, { now: '2027-06-21T12:00:00.000Z' }));
    expect(view.issuerText).toBe('⏳ 10 days until the Azure DevOps issuer stops working (2027-07-01): 2 connections still use it.');
    expect(view.actions.map((a) => a.command)).toContain('migrate issuer all');
  });

  it('a connection the bot cannot move (a multitenant app) is counted, not offered: no Migrate button on it, and none for all when it is the only one', () => {
    const refused = findingOf('retiring-issuer', 1, { refused: { migrate: 'multitenant app (AzureADMultipleOrgs): multitenant apps keep the Azure DevOps issuer.' } });
    expect(findingActions(refused).map((a) => a.title)).toEqual(['Show']);
    expect(buildAlertView(refused).advice).toBe('I cannot move it for you: multitenant app (AzureADMultipleOrgs): multitenant apps keep the Azure DevOps issuer. Open it to see what it uses.');
    const view = buildAlertStatusView(statusInput([refused], { now: '2027-06-21T12:00:00.000Z' }));
    expect(view.issuerText).toBe('⏳ 10 days until the Azure DevOps issuer stops working (2027-07-01): 1 connection still uses it (0 I can move).');
    expect(view.actions.map((a) => a.command)).not.toContain('migrate issuer all');
    expect(buildAlertStatusView(statusInput([refused, findingOf('retiring-issuer', 2)])).actions.map((a) => a.command)).toContain('migrate issuer all');
  });

  it('none left: says so, and offers no migrate button; no scan yet: no issuer line', () => {
    const view = buildAlertStatusView(statusInput([findingOf('failed', 1)]));
    expect(view.issuerText).toBe('⏳ 221 days until the Azure DevOps issuer stops working (2027-07-01): no connection uses it any more.');
    expect(view.actions.map((a) => a.command)).not.toContain('migrate issuer all');
    expect(buildAlertStatusView(statusInput([], { lastScan: undefined })).hasScan).toBe(false);
  });
});
