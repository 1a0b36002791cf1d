// POST {org}/_apis/public/serviceendpoint/externalfederatedcredentialmigration, as the (unmerged) Azure CLI change
// calls it: Bearer only, the old sc:// subject in, the Entra issuer out — or the manual fallback (reply shapes are
// inferred; see src/devops/federated-migration-wire.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '../src/index';

const PATH = '/_apis/public/serviceendpoint/externalfederatedcredentialmigration';
let emu: DevOpsEmulator;
let ficPresent: boolean;
let created: Array<{ appId: string; issuer: string; subject: string }>;

beforeEach(async () => {
  const clock = new ManualClock();
  ficPresent = false;
  created = [];
  emu = await startDevOpsEmulator({
    seed: await loadSeed(DEMO_SEED_PATH, clock), clock,
    hasFederatedCredential: () => ficPresent,
    createFederatedCredential: (r) => created.push(r),
  });
});
afterEach(async () => emu.close());

const migrate = (input: string, auth = 'Bearer entra-token') =>
  callEmulator<Record<string, string>>(emu.orgUrl, PATH, { method: 'POST', version: '7.2-preview.1', auth, body: { serviceConnectionInput: input } });
const params = (name: string) => emu.state.endpoints().find((e) => e.name === name)?.authorization?.parameters ?? {};

describe('external federated credential migration', () => {
  it('answers the manual fallback when the app has no federated credential for the Entra issuer, changing nothing', async () => {
    const res = await migrate('sc://contoso/Payments/sc-wif-legacy');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('federatedCredentialRequired');
    expect(res.body.issuer).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0');
    expect(res.body.subject).toMatch(/^\/eid1\/c\/pub\/t\/.+\/sc\/035c390d-635e-5d3d-b6fa-d6a2f4cdac26\/[0-9a-f-]{36}$/);
    expect(res.body.audience).toBe('api://AzureADTokenExchange');
    expect(params('sc-wif-legacy').workloadIdentityFederationIssuer).toMatch(/^https:\/\/vstoken\./);
  });

  it('moves the connection once the federated credential exists (try again)', async () => {
    const first = await migrate('sc://contoso/Payments/sc-wif-legacy');
    ficPresent = true;
    const res = await migrate('sc://contoso/Payments/sc-wif-legacy');
    expect(res.body.status).toBe('success');
    expect(params('sc-wif-legacy')).toMatchObject({
      workloadIdentityFederationIssuer: first.body.issuer, workloadIdentityFederationSubject: first.body.subject, workloadIdentityFederationIssuerType: 'EntraID',
    });
    const wire = await callEmulator<ServiceEndpoint>(emu.orgUrl, `/Payments/_apis/serviceendpoint/endpoints/${emu.state.endpoints().find((e) => e.name === 'sc-wif-legacy')?.id}`);
    expect(wire.body.authorization?.parameters?.workloadIdentityFederationIssuer).toBe(first.body.issuer);
  });

  it('adds the credential itself for an Automatic connection (Azure DevOps manages that app), old app.vstoken issuer included', async () => {
    expect((await migrate('sc://contoso/Platform/sc-wif-legacy-auto')).body.status).toBe('success');
    expect(created).toEqual([expect.objectContaining({ appId: '3561009c-fd7a-54f9-9ad8-54b04e3fb6cc', issuer: expect.stringMatching(/login\.microsoftonline\.com/) })]);
    ficPresent = true;
    expect((await migrate('sc://contoso/Data Science/sc-wif-appvstoken')).body.status).toBe('success');
  });

  it('accepts Bearer only, and refuses what it cannot migrate with the VSS error shape', async () => {
    expect((await migrate('sc://contoso/Payments/sc-wif-legacy', 'Basic OnBhdA==')).status).toBe(401);
    const entra = await migrate('sc://contoso/Platform/sc-wif-entra');
    expect(entra.status).toBe(400);
    expect(entra.body.typeKey).toBe('ServiceEndpointException');
    expect((await migrate('sc://contoso/Payments/no-such-connection')).status).toBe(404);
    expect((await migrate('sc://fabrikam/Payments/sc-wif-legacy')).status).toBe(400);
    expect((await migrate('not a subject')).status).toBe(400);
  });
});
