// The organization's audit log as the Audit 7.1-preview.1 reference documents it: the resource area, the actions
// catalogue, entries written by connection changes and by the 100-day disable, newest-first pages with continuation
// tokens, the log's own reads (aggregated), the auditing and permission switches, and seeded outside changes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callEmulator, changeAsOutsider, DEMO_SEED_PATH, loadSeed, ManualClock, parseSeed, personActor, startDevOpsEmulator,
  type AuditEntryJson, type DevOpsEmulator, type ServiceEndpoint,
} from '../src/index';

interface Page { decoratedAuditLogEntries: AuditEntryJson[]; continuationToken: string | null; hasMore: boolean }
interface Wrapped<T> { count: number; value: T[] }

const DAY = 86_400_000;
const AUDIT_AREA = '94ff054d-5ee1-413d-9341-3f4a7827de2e';
let emu: DevOpsEmulator;
let clock: ManualClock;
const byName = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const audit = (query = '') => callEmulator<Page>(emu.orgUrl, `/_apis/audit/auditlog${query}`, { version: '7.1-preview.1' });
const changes = (entries: AuditEntryJson[]) => entries.filter((e) => e.actionId.startsWith('Library.'));

beforeEach(async () => {
  clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterEach(async () => emu.close());

describe('the audit service', () => {
  it('is found through the Audit resource area, and lists its service-connection actions for area Library', async () => {
    const area = await callEmulator<{ locationUrl: string }>(emu.orgUrl, `/_apis/resourceAreas/${AUDIT_AREA}`, { version: '7.1' });
    expect(area.body.locationUrl).toBe(`${emu.orgUrl}/`);
    const actions = await callEmulator<Wrapped<{ actionId: string; area: string; category: string }>>(emu.orgUrl, '/_apis/audit/actions?areaName=Library', { version: '7.1-preview.1' });
    expect(actions.body.value.every((a) => a.area === 'Library')).toBe(true);
    expect(actions.body.value).toContainEqual({ area: 'Library', category: 'modify', actionId: 'Library.ServiceConnectionPropertyChanged' });
    expect(actions.body.value).toContainEqual({ area: 'Library', category: 'execute', actionId: 'Library.ServiceConnectionExecuted' });
  });

  it('records changes made through the API, newest first, with the connection and, for one project, the project', async () => {
    const staging = byName('sc-staging');
    clock.advance(60_000);
    const put = await callEmulator<ServiceEndpoint>(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PUT', body: { ...staging, description: 'edited' } });
    expect(put.status).toBe(200);
    clock.advance(60_000);
    await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PUT', body: { ...put.body, isDisabled: true } });
    const page = (await audit()).body;
    const [disabled, modified] = changes(page.decoratedAuditLogEntries);
    expect(disabled).toMatchObject({ actionId: 'Library.ServiceConnectionPropertyChanged', data: { ConnectionId: staging.id, ConnectionName: 'sc-staging', IsDisabled: true }, actorDisplayName: 'Emulator User', category: 'modify' });
    expect(disabled?.details).toBe('One or more properties of Service Connection "sc-staging" of type azurerm were changed: IsDisabled = true.');
    expect(modified).toMatchObject({ actionId: 'Library.ServiceConnectionModified', data: { ConnectionId: staging.id, ConnectionType: 'azurerm' } });
    expect(Date.parse(disabled?.timestamp ?? '')).toBeGreaterThan(Date.parse(modified?.timestamp ?? ''));
    expect(modified?.projectId).toBeUndefined();
  });

  it('names the project of a delete from one project, and of a share into one', async () => {
    const staging = byName('sc-staging');
    const platform = emu.state.project('Platform');
    await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PATCH', body: [{ projectReference: { id: platform?.id }, name: 'sc-staging-shared' }] });
    await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}?projectIds=${platform?.id}`, { method: 'DELETE' });
    const [deleted, shared] = changes((await audit()).body.decoratedAuditLogEntries);
    expect(shared).toMatchObject({ actionId: 'Library.ServiceConnectionShared', projectId: platform?.id, projectName: 'Platform' });
    expect(deleted).toMatchObject({ actionId: 'Library.ServiceConnectionDeleted', projectId: platform?.id, data: { ConnectionId: staging.id } });
  });

  it('pages with continuation tokens (the last id returned) until hasMore is false, within startTime and endTime', async () => {
    const staging = byName('sc-staging');
    const start = clock.now();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1_000);
      await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PUT', body: { ...staging, description: `edit ${i}` } });
    }
    const window = `?startTime=${start.toISOString()}&endTime=${clock.now().toISOString()}&batchSize=2`;
    const seen: AuditEntryJson[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const page: Page = (await audit(`${window}${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`)).body;
      seen.push(...page.decoratedAuditLogEntries);
      expect(page.continuationToken).toBe(page.decoratedAuditLogEntries.at(-1)?.id ?? null);
      token = page.continuationToken;
      if (!page.hasMore) break;
    }
    expect(seen.map((e) => e.actionId)).toEqual(Array(5).fill('Library.ServiceConnectionModified'));
    expect(seen.map((e) => e.timestamp)).toEqual([...seen.map((e) => e.timestamp)].sort().reverse());
  });

  it('logs its own reads as AuditLog.AccessLog, one reader\'s reads in an hour aggregated unless skipAggregation', async () => {
    await audit();
    await audit();
    clock.advance(1_000);
    // A read is logged once answered: the third sees the two before it.
    const aggregated = (await audit()).body.decoratedAuditLogEntries.filter((e) => e.actionId === 'AuditLog.AccessLog');
    expect(aggregated).toHaveLength(1);
    expect(aggregated[0]?.details).toBe('Accessed the audit log 2 times');
    expect(aggregated[0]?.data.EventSummary).toHaveLength(2);
    const single = (await audit('?skipAggregation=true')).body.decoratedAuditLogEntries.filter((e) => e.actionId === 'AuditLog.AccessLog');
    expect(single).toHaveLength(3);
  });

  it('writes the 100-day disable as Azure DevOps itself, at the moment it became due', async () => {
    // artifactory (generic) was created 95 days ago and never ran: due in 5 days.
    const artifactory = byName('artifactory (generic)');
    clock.advance(7 * DAY);
    const entry = changes((await audit()).body.decoratedAuditLogEntries).find((e) => e.data.ConnectionId === artifactory.id);
    expect(entry).toMatchObject({ actionId: 'Library.ServiceConnectionPropertyChanged', actorDisplayName: 'Azure DevOps Service', actorCUID: '00000000-0000-0000-0000-000000000000', data: { IsDisabled: true } });
    expect(Date.parse(entry?.timestamp ?? '')).toBe(Date.parse(String(artifactory.creationDate)) + 100 * DAY);
  });

  it('records a person\'s portal edit with a browser user agent, and nothing at all while auditing is off', async () => {
    const staging = byName('sc-staging');
    changeAsOutsider(emu.state, staging.id, { isDisabled: true }, personActor({ displayName: 'Ivo Petrov' }));
    const [entry] = changes((await audit()).body.decoratedAuditLogEntries);
    expect(entry).toMatchObject({ actorDisplayName: 'Ivo Petrov', data: { IsDisabled: true } });
    expect(entry?.userAgent).toMatch(/^Mozilla\//);
    expect(entry?.actorCUID).not.toBe('00000000-0000-0000-0000-000000000000');
    emu.audit.enabled = false;
    const before = emu.audit.entries().length;
    await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PUT', body: { ...staging, description: 'unaudited' } });
    await audit();
    expect(emu.audit.entries()).toHaveLength(before);
  });

  it('answers 403 to a caller without "View audit log"', async () => {
    emu.audit.readable = false;
    const res = await callEmulator<{ typeKey: string }>(emu.orgUrl, '/_apis/audit/auditlog', { version: '7.1-preview.1' });
    expect(res.status).toBe(403);
    expect(res.body.typeKey).toBe('AuditLogPermissionException');
    expect((await callEmulator(emu.orgUrl, '/_apis/audit/actions', { version: '7.1-preview.1' })).status).toBe(403);
  });

  it('starts with the seed\'s entries and switches', async () => {
    const seed = await loadSeed(DEMO_SEED_PATH, clock);
    const staging = byName('sc-staging');
    const seeded = parseSeed({
      ...seed, auditLog: {
        readable: true,
        entries: [{ actionId: 'Library.ServiceConnectionForProjectModified', timestamp: '${now-2h}', actor: { kind: 'person', displayName: 'Ivo Petrov' }, connectionId: staging.id, projectId: staging.serviceEndpointProjectReferences?.[0]?.projectReference.id }],
      },
    }, clock);
    const other = await startDevOpsEmulator({ seed: seeded, clock });
    try {
      const page = await callEmulator<Page>(other.orgUrl, '/_apis/audit/auditlog', { version: '7.1-preview.1' });
      expect(changes(page.body.decoratedAuditLogEntries)[0]).toMatchObject({ actorDisplayName: 'Ivo Petrov', data: { ConnectionName: 'sc-staging' }, details: 'Modified Service Connection "sc-staging" in project Payments.' });
    } finally {
      await other.close();
    }
  });
});
