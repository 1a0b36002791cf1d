import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/time';
import { createAzureDevOpsServiceEndpoints } from '../../src/devops/index';
import type { ServiceEndpoints as ServiceEndpointsPort } from '../../src/devops/index';
import { readKey, type ServiceEndpoint } from '../../src/domain/endpoint';
import { DEMO_SEED_PATH, loadSeed, parseIdentitySeed, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GraphAppSecrets, GRAPH_SCOPE } from '../../src/azure/index';
import { APP_AUTO, APP_MANUAL, BOT, capturedLogger, ENDPOINT_AUTO, ENDPOINT_MANUAL, PROJECT, testSeed } from './graph-fixtures';

const log = capturedLogger();
const generated: string[] = [];

function adapterFor(cloud: LocalCloud): ServiceEndpointsPort {
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  return createAzureDevOpsServiceEndpoints(
    { orgUrl: cloud.devops.orgUrl, projects: [], requestTimeoutMs: 10_000, maxAttempts: 1 },
    new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE), { clock: systemClock, logger: log.logger },
  );
}

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

describe('startLocalCloud with the demo seed', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH), logger: log.logger });
  });
  afterAll(async () => cloud?.close());

  it('serves the bot identity: its Entra token is accepted by the DevOps emulator through the real client', async () => {
    const endpoints = await adapterFor(cloud).list('Platform');
    expect(endpoints.length).toBeGreaterThan(3);
    expect(cloud.authorizations.at(-1)).toEqual({ accepted: true, appId: cloud.bot.appId });
    expect(cloud.identityConfig).toMatchObject({ kind: 'client-secret', clientId: cloud.bot.appId, authorityHost: cloud.entra.authorityHost });
  });

  it('has an app for every ServicePrincipal azurerm connection whose current secret is the connection\'s secret', async () => {
    const now = new Date();
    const spConnections = cloud.devops.state.endpoints().filter((e) => e.type === 'azurerm' && e.authorization?.scheme === 'ServicePrincipal');
    const checks = spConnections.filter((e) => readKey(e.authorization?.parameters ?? undefined, 'serviceprincipalkey')).map((e) => {
      const params = e.authorization?.parameters ?? undefined;
      return [e.name, cloud.entra.registry.checkSecret(readKey(params, 'serviceprincipalid') ?? '', readKey(params, 'serviceprincipalkey') ?? '', now)];
    });
    expect(checks.length).toBeGreaterThanOrEqual(10);
    for (const [name, check] of checks) expect([name, check]).toEqual([name, name === 'sc-failed-secret' ? 'expired' : 'valid']);
    for (const e of spConnections) expect(cloud.entra.registry.getApplication(readKey(e.authorization?.parameters ?? undefined, 'serviceprincipalid') ?? '')).not.toBeNull();
  });

  it('has one app the bot does not own and one secret that expires in five days', async () => {
    const identity = parseIdentitySeed(await loadSeed(DEMO_SEED_PATH));
    const bot = identity.bot?.objectId ?? '';
    const notOwned = identity.applications.filter((a) => !cloud.entra.registry.isOwner(a.appId, bot)).map((a) => a.displayName);
    expect(notOwned).toEqual(['Data Lake (read only)']);
    const soon = identity.applications.filter((a) => (a.passwordCredentials ?? []).some((p) => {
      const left = Date.parse(p.endDateTime ?? '') - Date.now();
      return left > 4 * 86_400_000 && left <= 5 * 86_400_000;
    }));
    expect(soon.map((a) => a.displayName)).toEqual(['sc-staging']);
    expect(identity.keyVaults['kv-scbot-demo']).toBeDefined();
  });
});

describe('startLocalCloud hooks', () => {
  let cloud: LocalCloud;
  let devops: ServiceEndpointsPort;
  let graph: GraphAppSecrets;
  beforeAll(async () => {
    cloud = await startLocalCloud({ seed: testSeed(systemClock), logger: log.logger });
    devops = adapterFor(cloud);
    const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
    graph = new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0 });
  });
  afterAll(async () => cloud?.close());

  const withKey = (e: ServiceEndpoint, key: string): ServiceEndpoint => ({
    ...e, authorization: { scheme: 'ServicePrincipal', parameters: { ...(e.authorization?.parameters ?? {}), serviceprincipalkey: key } },
  });

  it('marks a connection Ready after a PUT only when its new secret authenticates at Entra', async () => {
    const before = await devops.get(PROJECT.name, ENDPOINT_MANUAL) as ServiceEndpoint;
    const added = await graph.addPassword(APP_MANUAL.appId, { displayName: 'rotated', endDateTime: new Date(Date.now() + 86_400_000).toISOString() });
    generated.push(added.value);
    expect(await devops.update(withKey(before, added.value))).toMatchObject({ isReady: true, operationStatus: { state: 'Ready' } });
    const wrong = await devops.update(withKey(before, 'not-the-secret-0123456789'));
    expect(wrong).toMatchObject({ isReady: false, operationStatus: { state: 'Failed', statusMessage: expect.stringContaining('AADSTS7000215') } });
    expect(JSON.stringify(wrong)).not.toContain('not-the-secret');
  });

  it('creates the federated credential on the app when an Automatic connection converts', async () => {
    const before = await devops.get(PROJECT.name, ENDPOINT_AUTO) as ServiceEndpoint;
    const converted = await devops.update({ ...before, authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} } }, 'ConvertAuthenticationScheme');
    const params = converted.authorization?.parameters ?? undefined;
    const fics = cloud.entra.registry.federatedCredentials(APP_AUTO.appId)?.list() ?? [];
    expect(fics).toEqual([expect.objectContaining({ issuer: readKey(params, 'workloadIdentityFederationIssuer'), subject: readKey(params, 'workloadIdentityFederationSubject') })]);
  });

  it('lets a Manual connection convert only once its app has the matching federated credential', async () => {
    const before = await devops.get(PROJECT.name, ENDPOINT_MANUAL) as ServiceEndpoint;
    const body = { ...before, authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} } };
    await expect(devops.update(body, 'ConvertAuthenticationScheme')).rejects.toMatchObject({ code: 'DEVOPS.BAD_REQUEST' });
    // The subject names the organization id; the Automatic conversion above shows it.
    const autoSubject = cloud.entra.registry.federatedCredentials(APP_AUTO.appId)?.list()[0]?.subject ?? '';
    const orgId = /\/sc\/([^/]+)\//.exec(autoSubject)?.[1] ?? '';
    const issuer = `https://login.microsoftonline.com/${BOT.tenantId}/v2.0`;
    const appB64 = Buffer.from(APP_MANUAL.appId.replace(/-/g, ''), 'hex').toString('base64url');
    const tenantB64 = Buffer.from(BOT.tenantId.replace(/-/g, ''), 'hex').toString('base64url');
    const subject = `/eid1/c/pub/t/${tenantB64}/a/${appB64}/sc/${orgId}/${ENDPOINT_MANUAL}`;
    cloud.entra.registry.federatedCredentials(APP_MANUAL.appId)?.add({ name: 'azdo-manual', issuer, subject });
    const converted = await devops.update(body, 'ConvertAuthenticationScheme');
    expect(readKey(converted.authorization?.parameters ?? undefined, 'workloadIdentityFederationSubject')).toBe(subject);
  });

  it('closes every stand-in', async () => {
    const ports = [cloud.devops.port, cloud.graph.port, new URL(cloud.entra.authorityHost).port, new URL(cloud.keyVault.origin).port].map(Number);
    for (const port of ports) expect(await portOpen(port)).toBe(true);
    await cloud.close();
    for (const port of ports) expect(await portOpen(port)).toBe(false);
  });
});

describe('canary scan', () => {
  it('no seeded or generated secret appears in any log line', () => {
    const text = log.lines.join('\n');
    expect(log.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain('SEEDSECRET-');
    for (const secret of generated) expect(text).not.toContain(secret);
  });
});
