// A project's list answers the connections that reference the project as they are now, though the emulator keeps
// each connection's project keys between lists (so a list costs the project, not the organization): a reference
// added through the API, or pushed onto the stored connection by a test, shows at the next list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '../src/index';

const PLATFORM = { id: '2ae12be5-9b3b-56e1-83de-10c785e1c36e', name: 'Platform' };
let emu: DevOpsEmulator;
const byName = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const names = async (project: string) => (await callEmulator<{ value: ServiceEndpoint[] }>(emu.orgUrl, `/${project}/_apis/serviceendpoint/endpoints`)).body.value.map((e) => e.name);

beforeEach(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterEach(async () => emu.close());

describe('a project list after references change', () => {
  it('a connection shared into the project since the last list is in it', async () => {
    expect(await names('Platform')).not.toContain('status-page');
    const endpoint = byName('status-page');
    const references = [...(endpoint.serviceEndpointProjectReferences ?? []), { projectReference: PLATFORM, name: 'status-page', description: '' }];
    emu.state.put({ ...endpoint, serviceEndpointProjectReferences: references, isShared: true });
    expect(await names('Platform')).toContain('status-page');
  });

  it('a reference pushed onto the stored connection in place counts too, and one removed in place no longer does', async () => {
    expect(await names('Platform')).not.toContain('sc-staging');
    const stored = emu.state.live(byName('sc-staging').id)!;
    stored.serviceEndpointProjectReferences!.push({ projectReference: PLATFORM, name: 'sc-staging', description: '' });
    expect(await names('Platform')).toContain('sc-staging');
    stored.serviceEndpointProjectReferences!.pop();
    expect(await names('Platform')).not.toContain('sc-staging');
  });
});
