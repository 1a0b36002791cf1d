// The audit-log adapter against the emulator's audit log (its own reading of the Audit 7.1-preview.1 reference):
// discovery through the resource area and the actions catalogue, typed changes (the bot, a person in the portal,
// Azure DevOps itself), continuation pages, and the three ways the log is not there for the bot.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsAuditLog } from '../../src/devops/azure-devops-audit-log';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { appActor, changeAsOutsider, DEMO_SEED_PATH, loadSeed, ManualClock, personActor, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '@scbot/stand-ins';

const DAY = 86_400_000;
const BOT_CLIENT = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
let emu: DevOpsEmulator;
let clock: ManualClock;
let devops: AzureDevOpsServiceEndpoints;

beforeEach(async () => {
  clock = new ManualClock();
  // Requests with the bot's token are the bot's app in the log; the test's own calls go through the same adapter.
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, callerOf: () => appActor('scbot', BOT_CLIENT) });
  devops = new AzureDevOpsServiceEndpoints({ orgUrl: emu.orgUrl, tokens: { getToken: async () => 'bot-token' }, requestTimeoutMs: 5_000, maxAttempts: 2, clock, sleep: async () => undefined });
});
afterEach(async () => emu.close());

const log = (batchSize?: number) => new AzureDevOpsAuditLog({ devops, self: { clientId: BOT_CLIENT }, clock, ...(batchSize ? { batchSize } : {}) });
const byName = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const since = () => new Date(clock.now().getTime() - 1_000);

describe('AzureDevOpsAuditLog → emulator', () => {
  it('types each change: the bot\'s own, a person\'s in the portal, and Azure DevOps\' 100-day disable; oldest first', async () => {
    const from = since();
    const staging = byName('sc-staging');
    const mine = await devops.get('Payments', staging.id);
    await devops.update({ ...mine as ServiceEndpoint, description: 'by the bot' });
    clock.advance(60_000);
    changeAsOutsider(emu.state, staging.id, { isDisabled: true }, personActor({ displayName: 'Ivo Petrov' }));
    // artifactory (generic) was created 95 days ago and never ran: Azure DevOps disables it in 5 days.
    clock.advance(6 * DAY);
    const read = await log().changesBetween(from, clock.now());
    if (read.kind !== 'read') throw new Error(`unexpected ${read.kind}`);
    expect(read.complete).toBe(true);
    expect(read.changes.map((c) => [c.action, c.actor.kind, c.connectionName])).toEqual([
      ['modified', 'bot', 'sc-staging'], ['disabled', 'person', 'sc-staging'], ['disabled', 'service', 'artifactory (generic)'],
    ]);
    const [, person, service] = read.changes;
    // A property change names no project (its reference text has none): the inventory places it by connection.
    expect(person).toMatchObject({ connectionId: staging.id, actor: { name: 'Ivo Petrov' }, portal: true, projectId: undefined });
    expect(service).toMatchObject({ actionId: 'Library.ServiceConnectionPropertyChanged', actor: { kind: 'service' }, portal: false });
    expect(Date.parse(service?.at ?? '')).toBe(Date.parse(String(byName('artifactory (generic)').creationDate)) + 100 * DAY);
  });

  it('discovers the audit service and its change actions once, and counts every entry (its own reads too) apart from changes', async () => {
    const adapter = log();
    await adapter.changesBetween(since(), clock.now());
    clock.advance(1_000);
    const second = await adapter.changesBetween(since(), clock.now());
    expect(second).toMatchObject({ kind: 'read', changes: [], entries: 1 });
    const paths = emu.requests.entries().map((r) => r.path.toLowerCase());
    expect(paths.filter((p) => p.endsWith('/_apis/audit/actions'))).toHaveLength(1);
    expect(paths.filter((p) => p.includes('/resourceareas/'))).toHaveLength(1);
  });

  it('reads every page through continuation tokens; a read out of pages says it is incomplete', async () => {
    const from = since();
    const staging = byName('sc-staging');
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1_000);
      changeAsOutsider(emu.state, staging.id, { description: `edit ${i}` }, personActor({ displayName: 'Ivo Petrov' }));
    }
    const all = await log(2).changesBetween(from, clock.now());
    expect(all).toMatchObject({ kind: 'read', complete: true, calls: 3 });
    expect(all.kind === 'read' && all.changes.map((c) => `${c.action} in ${c.projectName}`)).toEqual(Array(5).fill('modified in Payments'));
    expect(await log(2).changesBetween(from, clock.now(), { maxPages: 1 })).toMatchObject({ kind: 'read', complete: false, calls: 1 });
  });

  it('with auditing off nothing is written, not even its own reads: the window reads empty', async () => {
    emu.audit.enabled = false;
    const from = since();
    await log().changesBetween(from, clock.now());
    changeAsOutsider(emu.state, byName('sc-staging').id, { description: 'unaudited' }, personActor({ displayName: 'Ivo Petrov' }));
    clock.advance(1_000);
    expect(await log().changesBetween(from, clock.now())).toMatchObject({ kind: 'read', changes: [], entries: 0 });
  });

  it('without "View audit log" the log is unavailable (forbidden); an organization without the audit area, not found', async () => {
    emu.audit.readable = false;
    expect(await log().changesBetween(since(), clock.now())).toEqual({ kind: 'unavailable', reason: 'forbidden' });
    emu.audit.readable = true;
    emu.faults.scriptResponse({ method: 'GET', path: /resourceAreas\/94ff054d/i }, { status: 404, body: { message: 'The resource area was not found.' } });
    expect(await log().changesBetween(since(), clock.now())).toEqual({ kind: 'unavailable', reason: 'not-found' });
  });

  it('refuses to call an audit host outside Azure DevOps, whatever the resource area says', async () => {
    emu.faults.scriptResponse({ method: 'GET', path: /resourceAreas\/94ff054d/i }, { status: 200, body: { id: '94ff054d-5ee1-413d-9341-3f4a7827de2e', name: 'Audit', locationUrl: 'https://audit.example.com/contoso/' } });
    await expect(log().changesBetween(since(), clock.now())).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
