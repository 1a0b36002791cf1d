import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { systemClock } from '../../src/domain/time';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { createLogger } from '../../src/logging';
import { personalMessage, postActivity } from '../support/activities';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { APP_ID, counting, postWithToken, startAuthHarness, type AuthHarness } from './bot-auth-harness';

/**
 * Replies go only to allow-listed serviceUrl hosts. The same connector stand-in is reachable as 127.0.0.1
 * (allowed) and as localhost (not allowed): a refused activity must leave it untouched, with no turn, no bot
 * token requested, a 403 at our edge and a log line with a reference id.
 */
const referenceOf = async (response: Response, mode: 'authenticated' | 'local' = 'authenticated') => {
  const body = (await response.json()) as { error?: string; referenceId?: string };
  // With inbound authentication on, the 403 stays terse; local mode's says why (test/e2e/local-curl.test.ts).
  expect(Object.keys(body).sort()).toEqual(mode === 'local' ? ['error', 'reason', 'referenceId'] : ['error', 'referenceId']);
  expect(body.error).toBe('Forbidden');
  expect(body.referenceId).toMatch(/^R-[2-9A-Z]{8}$/);
  return body.referenceId as string;
};

const loggedWith = (lines: string[], referenceId: string) =>
  JSON.parse(lines.find((l) => l.includes(`"referenceId":"${referenceId}"`)) ?? '{}') as Record<string, unknown>;

describe('outbound allow-list, Azure mode (token checked first)', () => {
  let h: AuthHarness;
  let asLocalhost = '';
  beforeAll(async () => {
    h = await startAuthHarness({ serviceUrlHosts: ['smba.trafficmanager.net', '127.0.0.1:*'] });
    asLocalhost = h.connector.serviceUrl.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('replies to an allow-listed serviceUrl', async () => {
    const message = personalMessage('list', { serviceUrl: h.connector.serviceUrl, conversationId: 'allowed-conv' });
    const token = await h.openId.mint({ appId: APP_ID, serviceUrl: h.connector.serviceUrl, issuedAt: new Date() });
    expect((await postWithToken(h.app.url, message, token)).status).toBe(200);
    expect(await h.connector.nextReplies('allowed-conv', 1)).toHaveLength(1);
  });

  it('refuses a validly signed activity whose serviceUrl is not allowed: 403, no turn, no token, no outbound call', async () => {
    const before = { calls: h.connector.calls.length, port: h.portCalls(), tokens: h.entra.tokenRequests.length };
    const message = personalMessage('list', { serviceUrl: asLocalhost, conversationId: 'refused-conv' });
    const token = await h.openId.mint({ appId: APP_ID, serviceUrl: asLocalhost, issuedAt: new Date() });
    const response = await postWithToken(h.app.url, message, token);
    expect(response.status).toBe(403);
    const referenceId = await referenceOf(response);
    expect(h.connector.calls.length).toBe(before.calls);
    expect(h.portCalls()).toBe(before.port);
    expect(h.entra.tokenRequests.length).toBe(before.tokens);
    expect(loggedWith(h.logLines, referenceId)).toMatchObject({ msg: 'serviceUrl not allowed', status: 403, serviceUrlHost: new URL(asLocalhost).host });
    expect(h.logLines.join('\n')).not.toContain(token);
  });

  it('refuses an invoke (whose answer is the HTTP body) the same way', async () => {
    const invoke = { ...personalMessage('', { serviceUrl: asLocalhost, conversationId: 'refused-invoke' }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'approve', data: {} } } };
    const token = await h.openId.mint({ appId: APP_ID, serviceUrl: asLocalhost, issuedAt: new Date() });
    expect((await postWithToken(h.app.url, invoke, token)).status).toBe(403);
    expect(h.connector.calls.filter((c) => c.conversationId === 'refused-invoke')).toEqual([]);
  });

  it('answers 401, not 403, when the token is missing too (authentication comes first)', async () => {
    const response = await postWithToken(h.app.url, personalMessage('list', { serviceUrl: 'https://evil.example.com/', conversationId: 'anon' }));
    expect(response.status).toBe(401);
  });
});

describe('outbound allow-list, local mode (no app id: loopback only)', () => {
  let connector: ConnectorStandIn;
  let app: RunningApp;
  let portCalls: () => number;
  const logLines: string[] = [];
  beforeAll(async () => {
    connector = new ConnectorStandIn();
    await connector.start();
    const counted = counting(new InMemoryServiceEndpoints([]));
    portCalls = counted.count;
    const destination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
    app = await startTestApp({ devops: counted.endpoints, logger: createLogger({ level: 'debug', destination }), clock: systemClock });
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
  });

  it('replies to the loopback connector', async () => {
    expect((await postActivity(app.url, personalMessage('list', { serviceUrl: connector.serviceUrl, conversationId: 'local-ok' }))).status).toBe(200);
    expect(await connector.nextReplies('local-ok', 1)).toHaveLength(1);
  });

  it.each([
    ['Teams itself', 'https://smba.trafficmanager.net/teams/'],
    ['a look-alike of loopback', 'http://localhost.evil.example.com:3978/'],
    ['an activity without a serviceUrl', undefined],
  ])('refuses %s with 403 and runs no turn', async (_why, serviceUrl) => {
    const before = portCalls();
    const message = { ...personalMessage('list', { serviceUrl: '', conversationId: 'local-refused' }), serviceUrl };
    const response = await postActivity(app.url, message);
    expect(response.status).toBe(403);
    expect(loggedWith(logLines, await referenceOf(response, 'local'))).toMatchObject({ msg: 'serviceUrl not allowed' });
    expect(portCalls()).toBe(before);
  });
});
