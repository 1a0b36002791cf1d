// Per-connection security roles, and the service's automatic disable of connections unused for 100 days with the
// re-enable by PUT isDisabled:false (facts lifecycle §2.4, §6.2).
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '../src/index';

interface Assignment { identity: { id: string; displayName: string }; role: { name: string; scope: string }; access: string }
interface Wrapped<T> { count: number; value: T[] }

const DAY = 86_400_000;
const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const DANA = '5a1f0c9e-1d2b-4c3a-9e8f-0d1c2b3a4f51';
const BEN = '5a1f0c9e-1d2b-4c3a-9e8f-0d1c2b3a4f52';
let emu: DevOpsEmulator;
let clock: ManualClock;
const byName = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const rolesPath = (resource: string) => `/_apis/securityroles/scopes/distributedtask.serviceendpointrole/roleassignments/resources/${resource}`;
const call = <T>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, { version: '7.1-preview.1', ...options });
const get = (name: string) => callEmulator<ServiceEndpoint>(emu.orgUrl, `/Payments/_apis/serviceendpoint/endpoints/${byName(name).id}`);

beforeEach(async () => {
  clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterEach(async () => emu.close());

describe('connection roles', () => {
  it('lists the seeded assignments for {projectId}_{endpointId}; a project name matches nothing', async () => {
    const prod = byName('sc-prod').id;
    const res = await call<Wrapped<Assignment>>(rolesPath(`${PAYMENTS}_${prod}`));
    expect(res.body.value.map((a) => `${a.identity.displayName}:${a.role.name}:${a.access}`).sort()).toEqual([
      'Dana Ops:Administrator:assigned', 'Emulator User:Administrator:assigned', 'Eve Reader:Reader:assigned',
      '[Payments]\\Endpoint Administrators:Administrator:inherited',
    ]);
    expect(res.body.value[0]).toMatchObject({ access: 'assigned', role: { scope: 'distributedtask.serviceendpointrole' } });
    expect((await call<Wrapped<Assignment>>(rolesPath(`Payments_${prod}`))).body.count).toBe(0);
  });

  it('PUT sets roles, leaving out identities it does not know (count 0), and PATCH removes', async () => {
    const resource = `${PAYMENTS}_${byName('sc-staging').id}`;
    const set = await call<Wrapped<Assignment>>(rolesPath(resource), { method: 'PUT', body: [{ userId: BEN, roleName: 'User' }, { userId: '00000000-0000-0000-0000-00000000dead', roleName: 'User' }] });
    expect(set.body.value.map((a) => a.identity.id)).toEqual([BEN]);
    await call(rolesPath(resource), { method: 'PUT', body: [{ userId: DANA, roleName: 'administrator' }] });
    const assigned = async () => (await call<Wrapped<Assignment>>(rolesPath(resource))).body.value.filter((a) => a.access === 'assigned').map((a) => a.identity.id);
    expect(await assigned()).toEqual([BEN, DANA]);
    expect((await call(rolesPath(resource), { method: 'PATCH', body: [BEN] })).status).toBe(204);
    expect(await assigned()).toEqual([DANA]);
  });

  it('refuses an unknown role name with the VSS error shape', async () => {
    const res = await call<{ typeKey: string }>(rolesPath(`${PAYMENTS}_${byName('sc-staging').id}`), { method: 'PUT', body: [{ userId: BEN, roleName: 'Owner' }] });
    expect(res.status).toBe(400);
    expect(res.body.typeKey).toBe('ArgumentException');
  });
});

describe('automatic disable after 100 unused days', () => {
  it('keeps the seed as the service left it: disabled stays disabled, the rest start enabled', async () => {
    expect(emu.state.endpoint(byName('status-page').id)?.isDisabled).toBe(true);
    expect((await get('sc-prod')).body.isDisabled).toBe(false);
  });

  it('disables a connection 100 days after its last use, and not before', async () => {
    // artifactory (generic) was created 95 days ago and never ran: 5 days left.
    const artifactory = byName('artifactory (generic)').id;
    const read = async () => (await callEmulator<ServiceEndpoint>(emu.orgUrl, `/Platform/_apis/serviceendpoint/endpoints/${artifactory}`)).body;
    clock.advance(5 * DAY - 60_000);
    expect((await read()).isDisabled).toBe(false);
    clock.advance(60_000);
    expect((await read()).isDisabled).toBe(true);
  });

  it('counts the last execution record as use, and a PUT isDisabled:false re-enables for another 100 days', async () => {
    const lastRun = Math.max(...emu.state.executionHistory(byName('sc-prod').id).map((r) => Date.parse(String(r.data.finishTime))));
    clock.set(new Date(lastRun + 100 * DAY - 1));
    expect((await get('sc-prod')).body.isDisabled).toBe(false);
    clock.advance(1);
    const disabled = (await get('sc-prod')).body;
    expect(disabled.isDisabled).toBe(true);
    const put = await callEmulator<ServiceEndpoint>(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${disabled.id}`, { method: 'PUT', body: { ...disabled, isDisabled: false } });
    expect(put.body.isDisabled).toBe(false);
    clock.advance(100 * DAY - 1);
    expect((await get('sc-prod')).body.isDisabled).toBe(false);
    clock.advance(1);
    expect((await get('sc-prod')).body.isDisabled).toBe(true);
  });

  it('starts the 100 days at the emulator start for a connection the seed leaves enabled though unused longer', async () => {
    // sc-dev: created 400 days ago, never ran.
    clock.advance(100 * DAY - 1);
    expect((await get('sc-dev')).body.isDisabled).toBe(false);
    clock.advance(1);
    expect((await get('sc-dev')).body.isDisabled).toBe(true);
  });

  it('a pipeline run recorded through the node client (POST executionhistory) counts as use', async () => {
    const se = await new WebApi(emu.orgUrl, getBearerHandler('token')).getServiceEndpointApi();
    const dev = byName('sc-dev');
    clock.advance(60 * DAY);
    const now = clock.now();
    const added = await se.addServiceEndpointExecutionRecords({
      endpointIds: [dev.id],
      data: { planType: 'Build', definition: { id: 11, name: 'payments-deploy' }, owner: { id: 77, name: '2026.2' }, startTime: now, finishTime: now },
    }, 'Payments');
    expect(added.map((r) => r.endpointId)).toEqual([dev.id]);
    const history = await se.getServiceEndpointExecutionRecords('Payments', dev.id);
    expect(history[0]?.data?.owner?.name).toBe('2026.2');
    clock.advance(100 * DAY - 1);
    expect((await get('sc-dev')).body.isDisabled).toBe(false);
    clock.advance(1);
    expect((await get('sc-dev')).body.isDisabled).toBe(true);
  });
});
