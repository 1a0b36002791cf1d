import { Agent } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GraphAppSecrets, GRAPH_SCOPE, TokenSecretVerifier } from '../../src/azure/index';
import { AppError } from '../../src/domain/errors';
import { APP_AUTO, APP_FOREIGN, APP_MANUAL, BOT, capturedLogger, testSeed } from './graph-fixtures';
import { systemClock } from '../../src/domain/time';

let cloud: LocalCloud;
let graph: GraphAppSecrets;
let verifier: TokenSecretVerifier;
const log = capturedLogger();
const made: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: testSeed(systemClock), logger: log.logger });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  graph = new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0, logger: log.logger });
  verifier = new TokenSecretVerifier({ authorityHost: cloud.entra.authorityHost, trust: cloud.trust, attempts: 1 });
});
afterAll(async () => cloud?.close());

const errorMessages: string[] = [];
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => {
  errorMessages.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  return e instanceof AppError ? e.code : String(e);
});

describe('GraphAppSecrets against the Graph stand-in', () => {
  it('adds a password, lists it without secret text, and the secret authenticates through ClientSecretCredential', async () => {
    const added = await graph.addPassword(APP_MANUAL.appId, { displayName: 'scbot rotation', endDateTime: '2027-06-01T00:00:00Z' });
    made.push(added.value);
    expect(added.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(added.expiresAt).toBe('2027-06-01T00:00:00.000Z');
    const listed = await graph.listPasswords(APP_MANUAL.appId);
    const mine = listed.find((p) => p.keyId === added.keyId);
    expect(mine).toEqual({ keyId: added.keyId, displayName: 'scbot rotation', hint: added.value.slice(0, 3), startDateTime: expect.any(String), endDateTime: '2027-06-01T00:00:00.000Z' });
    expect(JSON.stringify(listed)).not.toContain(added.value);
    expect(listed).toHaveLength(2);
    const credential = new ClientSecretCredential(cloud.bot.tenantId, APP_MANUAL.appId, added.value, { authorityHost: cloud.entra.authorityHost, disableInstanceDiscovery: true, ...trustOptions() });
    await expect(credential.getToken('https://management.azure.com/.default')).resolves.toMatchObject({ token: expect.any(String) });
  });

  it('removes a password, after which it no longer authenticates', async () => {
    const added = await graph.addPassword(APP_AUTO.appId, { displayName: 'short-lived', endDateTime: '2027-01-01T00:00:00Z' });
    made.push(added.value);
    expect(await verifier.verify(cloud.bot.tenantId, APP_AUTO.appId, added.value)).toBe(true);
    await graph.removePassword(APP_AUTO.appId, added.keyId);
    expect((await graph.listPasswords(APP_AUTO.appId)).map((p) => p.keyId)).not.toContain(added.keyId);
    expect(await verifier.verify(cloud.bot.tenantId, APP_AUTO.appId, added.value)).toBe(false);
    expect(await verifier.verify(cloud.bot.tenantId, APP_AUTO.appId, APP_AUTO.secret)).toBe(true);
  });

  it('refuses writes to an app the bot does not own with GRAPH.FORBIDDEN, and changes nothing', async () => {
    expect(await codeOf(graph.addPassword(APP_FOREIGN.appId, { displayName: 'x', endDateTime: '2027-01-01T00:00:00Z' }))).toBe('GRAPH.FORBIDDEN');
    expect(await codeOf(graph.removePassword(APP_FOREIGN.appId, APP_FOREIGN.objectId))).toBe('GRAPH.FORBIDDEN');
    expect(await graph.listPasswords(APP_FOREIGN.appId)).toHaveLength(1);
  });

  it('maps an unknown app or key id to GRAPH.NOT_FOUND', async () => {
    expect(await codeOf(graph.listPasswords('d0000000-0000-4000-8000-0000000000ff'))).toBe('GRAPH.NOT_FOUND');
    expect(await codeOf(graph.removePassword(APP_MANUAL.appId, 'd0000000-0000-4000-8000-0000000000ff'))).toBe('GRAPH.NOT_FOUND');
    expect(await codeOf(graph.listPasswords('not-a-guid'))).toBe('GRAPH.NOT_FOUND');
  });

  it('maps an outage to GRAPH.UNAVAILABLE with the Retry-After', async () => {
    cloud.graph.failNext(1, 503);
    const error = await graph.listPasswords(APP_MANUAL.appId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH.UNAVAILABLE', status: 503, retryAfterMs: 1000 });
  });

  it('reads many apps in one batch call; apps a list leaves out are read one by one for their own answer', async () => {
    const unknown = 'd0000000-0000-4000-8000-0000000000ff';
    const before = cloud.graph.requests.length;
    const many = await graph.listPasswordsOf([APP_MANUAL.appId, APP_FOREIGN.appId.toUpperCase(), unknown, 'not-a-guid'], 10);
    expect(many.calls).toBe(2);
    expect(cloud.graph.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/$batch', 'POST /v1.0/$batch']);
    expect(many.read.get(APP_MANUAL.appId)).toEqual(await graph.listPasswords(APP_MANUAL.appId));
    expect(many.read.get(APP_FOREIGN.appId)).toHaveLength(1);
    expect(many.read.get(unknown)).toMatchObject({ code: 'GRAPH.NOT_FOUND' });
    expect(many.read.get('not-a-guid')).toMatchObject({ code: 'GRAPH.NOT_FOUND' });
    expect(many.unread).toEqual([]);
  });

  it('re-sends throttled parts after their Retry-After, and leaves what the call budget does not reach unread', async () => {
    cloud.graph.throttleBatchParts(1, 0);
    const retried = await graph.listPasswordsOf([APP_MANUAL.appId], 5);
    expect(retried.calls).toBe(2);
    expect(retried.read.get(APP_MANUAL.appId)).toEqual(await graph.listPasswords(APP_MANUAL.appId));
    const none = await graph.listPasswordsOf([APP_MANUAL.appId, APP_AUTO.appId], 0);
    expect(none).toEqual({ read: new Map(), unread: [APP_MANUAL.appId, APP_AUTO.appId], calls: 0 });
  });

  it('makes exactly one Graph call per operation, addressed by appId', () => {
    const calls = cloud.graph.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls.filter((c) => !c.includes('$batch')).slice(0, 4)).toEqual([
      `POST /v1.0/applications(appId='${APP_MANUAL.appId}')/addPassword 200`,
      `GET /v1.0/applications(appId='${APP_MANUAL.appId}') 200`,
      `POST /v1.0/applications(appId='${APP_AUTO.appId}')/addPassword 200`,
      `POST /v1.0/applications(appId='${APP_AUTO.appId}')/removePassword 204`,
    ]);
    expect(cloud.graph.requests.every((r) => r.callerAppId === undefined || r.callerAppId === BOT.appId)).toBe(true);
  });

  it('never writes a seeded or generated secret into a log line or an error message', () => {
    const text = [...log.lines, ...errorMessages].join('\n');
    expect(errorMessages.length).toBeGreaterThan(3);
    expect(made.length).toBeGreaterThan(0);
    expect(text).not.toContain('SEEDSECRET-');
    for (const secret of [...made, cloud.bot.clientSecret]) expect(text).not.toContain(secret);
  });
});

/** The same trust mechanism as the bot's own credentials: an agent with the stand-in's CA, no checks switched off. */
function trustOptions() {
  return { agent: new Agent({ ca: cloud.trust.caCertificatePem }) };
}
