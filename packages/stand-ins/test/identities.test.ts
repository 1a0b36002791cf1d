// The identities API and project-level connection roles as the stand-in serves them (spec: ims/7.1 Identities -
// Read Identities; securityRoles/7.1 RoleAccess "inherited"): the demo seed's Playground user reaches the Payments
// project's Endpoint Administrators through a nested Entra group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '../src/index';

interface IdentityJson { id: string; descriptor: string; isContainer?: boolean; memberOf: string[]; members: string[]; properties: Record<string, { $value: string }> }
interface Wrapped<T> { count: number; value: T[] }
interface Assignment { identity: { id: string; displayName: string }; role: { name: string; scope: string }; access: string }

const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const ALEX = '5a1f0c9e-1d2b-4c3a-9e8f-0d1c2b3a4f55';
const ADMINS = '6e0d3c1a-7b2f-4e19-9c4d-2a8b5f0e1c01';
const ENGINEERS = '6e0d3c1a-7b2f-4e19-9c4d-2a8b5f0e1c02';
const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
let emu: DevOpsEmulator;

beforeAll(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterAll(async () => emu.close());

const identities = async (query: string) => (await callEmulator<Wrapped<IdentityJson>>(emu.orgUrl, `/_apis/identities?${query}`, { version: '7.1' })).body;

describe('identities', () => {
  it('General search finds a user by the whole sign-in name, with the Entra object id as a property', async () => {
    const found = await identities('searchFilter=General&filterValue=ALEXW%40example.com&queryMembership=None');
    expect(found.value.map((i) => [i.id, i.properties[OID]?.$value])).toEqual([[ALEX, '00000000-0000-0000-0000-0000000000020']]);
    expect(found.value[0]?.memberOf).toEqual([]);
  });

  it('General search does not match a display name, a prefix or an object id', async () => {
    for (const value of ['Alex Wilber', 'alexw', '00000000-0000-0000-0000-0000000000020']) {
      expect((await identities(`searchFilter=General&filterValue=${encodeURIComponent(value)}`)).count).toBe(0);
    }
  });

  it('ExpandedUp lists every group the user is in, nested ones included; Direct only the first level', async () => {
    const groups = (await identities(`identityIds=${ADMINS.replace(/-/g, '')},${ENGINEERS}`)).value;
    expect(groups.map((g) => g.id)).toEqual([ADMINS, ENGINEERS]);
    const descriptorOf = (id: string) => groups.find((g) => g.id === id)?.descriptor;
    const up = await identities('searchFilter=General&filterValue=alexw%40example.com&queryMembership=ExpandedUp');
    expect(up.value[0]?.memberOf.sort()).toEqual([descriptorOf(ADMINS), descriptorOf(ENGINEERS)].sort());
    const direct = await identities('searchFilter=General&filterValue=alexw%40example.com&queryMembership=Direct');
    expect(direct.value[0]?.memberOf).toEqual([descriptorOf(ENGINEERS)]);
    const admins = await identities(`descriptors=${encodeURIComponent(descriptorOf(ADMINS) ?? '')}&queryMembership=ExpandedDown`);
    expect(admins.value[0]).toMatchObject({ id: ADMINS, isContainer: true });
    expect(admins.value[0]?.members).toHaveLength(3);
  });

  it('refuses a request that names nothing to resolve, and an unknown search filter', async () => {
    expect((await callEmulator(emu.orgUrl, '/_apis/identities', { version: '7.1' })).status).toBe(400);
    expect((await callEmulator(emu.orgUrl, '/_apis/identities?searchFilter=Psychic&filterValue=x', { version: '7.1' })).status).toBe(400);
  });

  it('the identities area is discoverable (its host, as a client looks it up)', async () => {
    const area = await callEmulator<{ locationUrl: string }>(emu.orgUrl, '/_apis/resourceAreas/8a3d49b8-91f0-46ef-b33d-dda338c25db3', { version: '7.1-preview.1' });
    expect(area.body.locationUrl).toBe(`${emu.orgUrl}/`);
  });
});

describe('project-level connection roles', () => {
  const path = (scope: string, resource: string) => `/_apis/securityroles/scopes/${scope}/roleassignments/resources/${resource}`;

  it('are listed on the project and, inherited, on every connection of the project', async () => {
    const project = await callEmulator<Wrapped<Assignment>>(emu.orgUrl, path('distributedtask.project.serviceendpointrole', PAYMENTS), { version: '7.1-preview.1' });
    expect(project.body.value.map((a) => [a.identity.id, a.role.name, a.access, a.role.scope])).toEqual([[ADMINS, 'Administrator', 'assigned', 'distributedtask.project.serviceendpointrole']]);
    const staging = emu.state.endpoints().find((e) => e.name === 'sc-staging')?.id;
    const onConnection = await callEmulator<Wrapped<Assignment>>(emu.orgUrl, path('distributedtask.serviceendpointrole', `${PAYMENTS}_${staging}`), { version: '7.1-preview.1' });
    expect(onConnection.body.value.map((a) => [a.identity.id, a.access])).toEqual([[ADMINS, 'inherited']]);
  });

  it('Creator is set on the project and refused on a connection', async () => {
    const set = await callEmulator<Wrapped<Assignment>>(emu.orgUrl, path('distributedtask.project.serviceendpointrole', PAYMENTS), { version: '7.1-preview.1', method: 'PUT', body: [{ userId: ALEX, roleName: 'Creator' }] });
    expect(set.body.value.map((a) => a.role.name)).toEqual(['Creator']);
    const prod = emu.state.endpoints().find((e) => e.name === 'sc-prod')?.id;
    const refused = await callEmulator(emu.orgUrl, path('distributedtask.serviceendpointrole', `${PAYMENTS}_${prod}`), { version: '7.1-preview.1', method: 'PUT', body: [{ userId: ALEX, roleName: 'Creator' }] });
    expect(refused.status).toBe(400);
  });
});
