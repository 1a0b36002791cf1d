import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../src/wire/service-endpoint';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type Seed,
} from '../src/index';

const DAY = 86_400_000;
let emu: DevOpsEmulator;
let seed: Seed;
let clock: ManualClock;

const byName = (name: string): ServiceEndpoint => {
  const found = emu.state.endpoints().find((e) => e.name === name);
  if (!found) throw new Error(`no endpoint ${name}`);
  return found;
};
const call = <T = unknown>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, options);

async function convert(name: string, scheme: string) {
  const endpoint = byName(name);
  const body = { id: endpoint.id, type: endpoint.type, authorization: { scheme }, serviceEndpointProjectReferences: endpoint.serviceEndpointProjectReferences };
  return call<ServiceEndpoint & { message: string }>(`/_apis/serviceendpoint/endpoints/${endpoint.id}?operation=ConvertAuthenticationScheme`, { method: 'PUT', body });
}

async function start(options: { federated?: string[] } = {}): Promise<void> {
  clock = new ManualClock('2026-11-01T12:00:00.000Z');
  seed = await loadSeed(DEMO_SEED_PATH, clock);
  const federated = new Set(options.federated ?? []);
  emu = await startDevOpsEmulator({ seed, clock, hasFederatedCredential: (e) => federated.has(e.name) });
}

beforeEach(async () => start());
afterEach(async () => emu.close());

describe('ConvertAuthenticationScheme', () => {
  it('converts an Automatic service principal to WIF with the Entra issuer and a 7-day revert deadline', async () => {
    const res = await convert('sc-prod', 'WorkloadIdentityFederation');
    expect(res.status).toBe(200);
    const params = res.body.authorization?.parameters ?? {};
    expect(res.body.authorization?.scheme).toBe('WorkloadIdentityFederation');
    expect(params.workloadIdentityFederationIssuer).toBe(`https://login.microsoftonline.com/${params.tenantid}/v2.0`);
    expect(params.workloadIdentityFederationSubject).toMatch(/^\/eid1\/c\/pub\/t\/.+\/sc\/.+\//);
    expect(params).not.toHaveProperty('serviceprincipalkey');
    expect(res.body.data?.revertSchemeDeadline).toBe('2026-11-08T12:00:00.000Z');
  });

  it('refuses converting to the current scheme', async () => {
    const res = await convert('sc-wif-entra', 'WorkloadIdentityFederation');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Converting endpoint type azurerm scheme from WorkloadIdentityFederation to WorkloadIdentityFederation is neither an upgrade or a downgrade and is not supported.');
  });

  it('refuses other types and schemes as neither an upgrade nor a downgrade', async () => {
    expect((await convert('sc-msi', 'WorkloadIdentityFederation')).body.message).toMatch(/neither an upgrade or a downgrade/);
    expect((await convert('github-contoso', 'WorkloadIdentityFederation')).status).toBe(400);
  });

  it('refuses a Manual connection without a federated credential, and converts it once one exists', async () => {
    const refused = await convert('sc-staging', 'WorkloadIdentityFederation');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('The authorization scheme could not be upgraded to WorkloadIdentityFederation because the service principal could not be configured automatically, and no valid configuration exists.');
    await emu.close();
    await start({ federated: ['sc-staging'] });
    expect((await convert('sc-staging', 'WorkloadIdentityFederation')).status).toBe(200);
  });

  it('refuses a connection shared across projects', async () => {
    expect((await convert('sc-shared-registry', 'WorkloadIdentityFederation')).status).toBe(400);
  });

  it('reverts to the old secret before the deadline', async () => {
    const before = byName('sc-prod').authorization;
    await convert('sc-prod', 'WorkloadIdentityFederation');
    clock.advance(6 * DAY);
    const reverted = await convert('sc-prod', 'ServicePrincipal');
    expect(reverted.status).toBe(200);
    expect(reverted.body.data).not.toHaveProperty('revertSchemeDeadline');
    expect(emu.state.endpoint(byName('sc-prod').id)?.authorization).toEqual(before);
  });

  it('refuses the revert once the 7 days are over', async () => {
    await convert('sc-prod', 'WorkloadIdentityFederation');
    clock.advance(7 * DAY);
    const res = await convert('sc-prod', 'ServicePrincipal');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/revert window ended/);
  });

  it('reverts a seeded conversion (deadline in 5 days) and refuses one never converted', async () => {
    expect((await convert('sc-converted', 'ServicePrincipal')).status).toBe(200);
    expect(byName('sc-converted').authorization?.scheme).toBe('ServicePrincipal');
    expect((await convert('sc-wif-entra', 'ServicePrincipal')).status).toBe(400);
  });
});
