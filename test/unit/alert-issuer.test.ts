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
    expect(view.facts.find((f) => f.title === 'Issuer retiring')?.value).toBe('2 connections still on the Azure DevOps issuer; 10 days to 2027-07-01 (say `migrate issuer all`)');
    expect(view.actions.map((a) => a.command)).toContain('migrate issuer all');
  });

  it('none left: says so, and offers no migrate button; no scan yet: no issuer line', () => {
    const view = buildAlertStatusView(statusInput([findingOf('failed', 1)]));
    expect(view.facts.find((f) => f.title === 'Issuer retiring')?.value).toBe('no connection left on the Azure DevOps issuer (221 days to 2027-07-01)');
    expect(view.actions.map((a) => a.command)).not.toContain('migrate issuer all');
    expect(buildAlertStatusView(statusInput([], { lastScan: undefined })).facts.some((f) => f.title === 'Issuer retiring')).toBe(false);
  });
});
