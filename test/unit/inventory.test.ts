// The inventory in memory: what a full project list, a single read and the bot's own changes leave in it, the name
// → project index (names are unique per project only), the age of each project's list, and its bound.
import { describe, expect, it } from 'vitest';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { listFromInventory, locateName } from '../../src/inventory/inventory-answers';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { ConnectionChange } from '../../src/domain/connection-change';
import { connection, failed, project, recordingLogger, TestClock, workloadIdentity } from '../support/inventory-fixtures';

const ALPHA = project('Alpha');
const BETA = project('Beta');
const GAMMA = project('Gamma');

function inventory(maxConnections = 1000) {
  const clock = new TestClock();
  const { logger, lines } = recordingLogger();
  return { inv: new ConnectionInventory({ store: new EmbeddedStore(), clock, logger, maxConnections }), clock, lines };
}

const names = (inv: ConnectionInventory, p: string) => inv.project(p)?.entries.map((e) => e.name).sort();

describe('ConnectionInventory: project lists', () => {
  it('keeps what a full list read, per project, and finds a name in every project that has it, whatever its case', () => {
    const { inv, clock } = inventory();
    const prodA = connection('sc-prod', [ALPHA]);
    const prodB = failed(connection('sc-prod', [BETA]));
    inv.recordProjectList(ALPHA, [prodA, connection('sc-dev', [ALPHA])], clock.now());
    inv.recordProjectList(BETA, [prodB], clock.now());
    expect(inv.lookup('SC-PROD').map((m) => [m.projectName, m.entry.id, m.entry.state]).sort()).toEqual([['Alpha', prodA.id, 'Ready'], ['Beta', prodB.id, 'Failed']]);
    expect(inv.lookup('sc-dev').map((m) => m.projectName)).toEqual(['Alpha']);
    expect(inv.lookup('sc-missing')).toEqual([]);
    expect(inv.connections).toBe(3);
    expect(inv.project('beta')?.entries[0]).toMatchObject({ name: 'sc-prod', ready: false, scheme: 'ServicePrincipal', creationMode: 'Manual', disabled: false });
  });

  it('replaces a project\'s list whole (a connection gone from it is gone), and ignores a list older than the one it holds', () => {
    const { inv, clock } = inventory();
    const keep = connection('keep', [ALPHA]);
    inv.recordProjectList(ALPHA, [keep, connection('gone', [ALPHA])], clock.now());
    const before = clock.now();
    clock.advance(60_000);
    inv.recordProjectList(ALPHA, [keep], clock.now());
    expect(names(inv, 'Alpha')).toEqual(['keep']);
    expect(inv.lookup('gone')).toEqual([]);
    inv.recordProjectList(ALPHA, [keep, connection('stale', [ALPHA])], before);
    expect(names(inv, 'Alpha')).toEqual(['keep']);
  });

  it('updates a shared connection in the other listed projects, under the name each gives it', () => {
    const { inv, clock } = inventory();
    const shared = connection('sc-shared', [ALPHA, BETA], { names: ['sc-shared', 'shared-in-beta'] });
    inv.recordProjectList(BETA, [shared], clock.now());
    clock.advance(1_000);
    inv.recordProjectList(ALPHA, [failed(shared)], clock.now());
    expect(inv.lookup('shared-in-beta')[0]?.entry).toMatchObject({ state: 'Failed', projectIds: [ALPHA.id, BETA.id] });
    expect(inv.connection(shared.id).map((m) => m.entry.name).sort()).toEqual(['sc-shared', 'shared-in-beta']);
  });

  it('says how old each project\'s list is, and which projects it has never listed', () => {
    const { inv, clock } = inventory();
    inv.recordProjectList(ALPHA, [], clock.now());
    const oldest = clock.now().getTime();
    clock.advance(90_000);
    inv.recordProjectList(BETA, [], clock.now());
    expect(inv.age(['Alpha', BETA.id, 'Gamma'])).toEqual({ oldestReadAt: oldest, newestReadAt: oldest + 90_000, missing: ['Gamma'] });
    expect(inv.age().missing).toEqual([]);
  });

  it('follows the organization\'s project list: a renamed project keeps its list, a project that is gone is forgotten', () => {
    const { inv, clock } = inventory();
    inv.recordProjectList(ALPHA, [connection('a', [ALPHA])], clock.now());
    inv.recordProjectList(BETA, [connection('b', [BETA])], clock.now());
    inv.recordProjects([{ id: ALPHA.id, name: 'Alpha Renamed' }], clock.now());
    expect(inv.project('Alpha Renamed')?.entries.map((e) => e.name)).toEqual(['a']);
    expect(inv.project(BETA.id)).toBeUndefined();
    expect(inv.lookup('b')).toEqual([]);
    expect(inv.organizationProjects()?.projects.map((p) => p.name)).toEqual(['Alpha Renamed']);
  });

  it('keeps nothing secret: no authorization parameter but the federation issuer', () => {
    const { inv, clock } = inventory();
    const wif = workloadIdentity(connection('wif', [ALPHA]));
    inv.recordProjectList(ALPHA, [wif, connection('spn', [ALPHA])], clock.now());
    const kept = JSON.stringify(inv.project('Alpha'));
    expect(kept).not.toContain('SEED-SECRET');
    expect(kept).not.toContain('serviceprincipalid');
    expect(kept).not.toContain(String(wif.authorization?.parameters?.serviceprincipalid));
    expect(inv.lookup('wif')[0]?.entry.issuer).toBe(wif.authorization?.parameters?.workloadIdentityFederationIssuer);
  });

  it('stays within its bound: a list that would pass it is not kept (answered live), said once', () => {
    const { inv, clock, lines } = inventory(3);
    expect(inv.recordProjectList(ALPHA, [connection('a1', [ALPHA]), connection('a2', [ALPHA])], clock.now())).toBe(true);
    expect(inv.recordProjectList(BETA, [connection('b1', [BETA]), connection('b2', [BETA])], clock.now())).toBe(false);
    expect(inv.recordProjectList(GAMMA, [connection('g1', [GAMMA]), connection('g2', [GAMMA])], clock.now())).toBe(false);
    expect(inv.project('Beta')).toBeUndefined();
    expect(inv.connections).toBe(2);
    expect(lines.filter((l) => l.includes('inventory full'))).toHaveLength(1);
  });
});

describe('ConnectionInventory: corrections', () => {
  it('a single read (the service\'s answer to a convert or rename) updates the connection and the name index', () => {
    const { inv, clock } = inventory();
    const sc = connection('sc-old', [ALPHA]);
    inv.recordProjectList(ALPHA, [sc], clock.now());
    clock.advance(1_000);
    const renamed = workloadIdentity(connection('sc-new', [ALPHA], { id: sc.id }));
    inv.recordOne(renamed, clock.now());
    expect(inv.lookup('sc-old')).toEqual([]);
    expect(inv.lookup('sc-new')[0]?.entry).toMatchObject({ id: sc.id, scheme: 'WorkloadIdentityFederation', readAt: clock.now().getTime() });
    expect(inv.project('Alpha')?.readAt).toBe(clock.now().getTime() - 1_000);
  });

  it('a delete or unshare by the bot removes the connection from those projects only', () => {
    const { inv, clock } = inventory();
    const shared = connection('sc', [ALPHA, BETA]);
    inv.recordProjectList(ALPHA, [shared], clock.now());
    inv.recordProjectList(BETA, [shared], clock.now());
    inv.forget(shared.id, ['Beta']);
    expect(inv.connection(shared.id).map((m) => m.projectName)).toEqual(['Alpha']);
    inv.forget(shared.id);
    expect(inv.connection(shared.id)).toEqual([]);
  });

  it('a share by the bot adds the connection to the listed project under its name there', () => {
    const { inv, clock } = inventory();
    const sc = connection('sc', [ALPHA]);
    inv.recordProjectList(ALPHA, [sc], clock.now());
    inv.recordProjectList(BETA, [], clock.now());
    inv.recordShare(sc.id, [{ projectReference: BETA, name: 'sc-in-beta' }], clock.now());
    expect(inv.lookup('sc-in-beta')[0]?.entry.projectIds).toEqual([ALPHA.id, BETA.id]);
    expect(inv.lookup('sc')[0]?.entry.projectIds).toEqual([ALPHA.id, BETA.id]);
  });

  it('a name the service says is not in a project any more is dropped from it', () => {
    const { inv, clock } = inventory();
    inv.recordProjectList(ALPHA, [connection('renamed-elsewhere', [ALPHA])], clock.now());
    inv.forgetName('alpha', 'RENAMED-ELSEWHERE');
    expect(inv.lookup('renamed-elsewhere')).toEqual([]);
  });

  it('notes a change made outside the bot, keeps it across the next list, and never lets an older note replace it', () => {
    const { inv, clock } = inventory();
    const sc = connection('sc', [ALPHA]);
    inv.recordProjectList(ALPHA, [sc], clock.now());
    const change = (at: string, name: string, kind: 'person' | 'bot' = 'person'): ConnectionChange => ({
      entryId: at, at, actionId: 'Library.ServiceConnectionPropertyChanged', action: 'disabled', connectionId: sc.id, connectionName: 'sc',
      projectId: undefined, projectName: undefined, actor: { kind, name }, portal: true,
    });
    inv.noteChange(change('2026-09-01T09:00:00Z', 'Ivo'));
    inv.noteChange(change('2026-09-01T08:00:00Z', 'Older'));
    inv.noteChange(change('2026-09-01T09:30:00Z', 'scbot', 'bot'));
    clock.advance(1_000);
    inv.recordProjectList(ALPHA, [{ ...sc, isDisabled: true }], clock.now());
    expect(inv.lookup('sc')[0]?.entry).toMatchObject({ disabled: true, change: { by: 'person', name: 'Ivo', action: 'disabled', portal: true } });
  });
});

describe('answers from the inventory', () => {
  it('lists across projects as `list`, `list failed` and `list disabled` would, with the age of the oldest list', () => {
    const { inv, clock } = inventory();
    inv.recordProjectList(ALPHA, [connection('a-ok', [ALPHA]), failed(connection('a-broken', [ALPHA]))], clock.now());
    const oldest = clock.now().getTime();
    clock.advance(30_000);
    inv.recordProjectList(BETA, [connection('b-off', [BETA], { isDisabled: true }), failed(connection('b-broken', [BETA], { type: 'github' }))], clock.now());
    const names = (filter: 'usable' | 'failed' | 'disabled' | 'all', type?: string) => listFromInventory(inv, ['Alpha', 'Beta', 'Gamma'], filter, clock.now(), type);
    expect(names('failed').rows.map((r) => `${r.project}/${r.name}`)).toEqual(['Alpha/a-broken', 'Beta/b-broken']);
    expect(names('usable')).toMatchObject({ hiddenFailed: 2, oldestReadAt: oldest, missing: ['Gamma'] });
    expect(names('usable').rows.map((r) => r.name)).toEqual(['a-ok', 'b-off']);
    expect(names('disabled').rows.map((r) => r.name)).toEqual(['b-off']);
    expect(names('all', 'github').rows.map((r) => r.name)).toEqual(['b-broken']);
    expect(names('usable', 'github').hiddenFailed).toBe(1);
  });

  it('says who disabled a connection outside the bot, from the audit log\'s note', () => {
    const { inv, clock } = inventory();
    const sc = connection('sc', [ALPHA], { isDisabled: true });
    inv.recordProjectList(ALPHA, [sc], clock.now());
    inv.noteChange({
      entryId: 'e', at: new Date(clock.now().getTime() - 3 * 86_400_000).toISOString(), actionId: 'Library.ServiceConnectionPropertyChanged', action: 'disabled',
      connectionId: sc.id, connectionName: 'sc', projectId: undefined, projectName: undefined, actor: { kind: 'service', name: undefined }, portal: false,
    });
    expect(listFromInventory(inv, ['Alpha'], 'disabled', clock.now()).rows[0]?.note).toBe('disabled by Azure DevOps after 100 days without use, 3 d ago');
  });

  it('finds which of the allowed projects hold a name, or says it does not know it', () => {
    const { inv, clock } = inventory();
    inv.recordProjectList(ALPHA, [connection('sc', [ALPHA])], clock.now());
    inv.recordProjectList(BETA, [connection('sc', [BETA])], clock.now());
    const anywhere = locateName(inv, 'SC', []);
    expect(anywhere.kind === 'known' ? anywhere.matches.map((m) => m.projectName).sort() : []).toEqual(['Alpha', 'Beta']);
    const inBeta = locateName(inv, 'sc', ['Beta']);
    expect(inBeta.kind === 'known' ? inBeta.matches.map((m) => m.projectName) : []).toEqual(['Beta']);
    expect(locateName(inv, 'sc', ['Gamma'])).toEqual({ kind: 'unknown' });
    expect(locateName(inv, 'nope', [])).toEqual({ kind: 'unknown' });
  });
});
