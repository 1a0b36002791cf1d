/**
 * The Bot Connector stand-in enforces Teams' documented rate limits (msteams-docs bots/how-to/rate-limit.md): per
 * bot per thread 7/1 s, 8/2 s, 60/30 s, 1,800/3,600 s; 30 requests per second per app per tenant. Past them it
 * answers as Teams does: 429, Retry-After, error code Throttled. Windows slide; time is a manual clock here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorStandIn, TEAMS_RATE_LIMITS, TeamsRateLimiter } from '../src/botframework';

let now = 0;
const clock = () => now;

describe('TeamsRateLimiter (Teams defaults)', () => {
  it('admits 7 posts to a thread in a second, refuses the 8th with Retry-After 1, and admits again once the first slides out', () => {
    now = 0;
    const limiter = new TeamsRateLimiter(TEAMS_RATE_LIMITS, clock);
    for (let i = 0; i < 7; i += 1) {
      now = i * 10;
      expect(limiter.admit('thread-a', 'app|tenant')).toEqual({ admitted: true });
    }
    now = 100;
    expect(limiter.admit('thread-a', 'app|tenant')).toEqual({ admitted: false, scope: 'thread', window: { limit: 7, windowMs: 1000 }, retryAfterSeconds: 1 });
    // Another thread of the same tenant is not held back by this thread's limit.
    expect(limiter.admit('thread-b', 'app|tenant')).toEqual({ admitted: true });
    now = 1_000;
    expect(limiter.admit('thread-a', 'app|tenant').admitted).toBe(true);
    // 8 within 2 s: the 9th waits for the 2-second window, not the 1-second one.
    now = 1_500;
    expect(limiter.admit('thread-a', 'app|tenant')).toMatchObject({ admitted: false, window: { limit: 8, windowMs: 2000 } });
  });

  it('allows 60 per thread in 30 s and names the wait until the oldest leaves that window', () => {
    now = 0;
    const limiter = new TeamsRateLimiter(TEAMS_RATE_LIMITS, clock);
    // One every 500 ms stays under 7/1 s and 8/2 s: the 30-second window is the one that fills.
    for (let i = 0; i < 60; i += 1) {
      now = i * 500;
      expect(limiter.admit('thread', `app|t${i}`).admitted).toBe(true);
    }
    now = 29_999;
    expect(limiter.admit('thread', 'app|other')).toEqual({ admitted: false, scope: 'thread', window: { limit: 60, windowMs: 30_000 }, retryAfterSeconds: 1 });
    now = 30_000;
    expect(limiter.admit('thread', 'app|other').admitted).toBe(true);
  });

  it('allows 30 requests per second per app per tenant across threads; other tenants and apps have their own budget', () => {
    now = 0;
    const limiter = new TeamsRateLimiter(TEAMS_RATE_LIMITS, clock);
    for (let i = 0; i < 30; i += 1) expect(limiter.admit(`thread-${i}`, 'app|tenant').admitted).toBe(true);
    expect(limiter.admit('thread-30', 'app|tenant')).toEqual({ admitted: false, scope: 'tenant', window: { limit: 30, windowMs: 1000 }, retryAfterSeconds: 1 });
    expect(limiter.admit('thread-31', 'app|other-tenant').admitted).toBe(true);
    expect(limiter.admit('thread-32', 'other-app|tenant').admitted).toBe(true);
    const stats = limiter.stats();
    expect(stats).toMatchObject({ admitted: 32, throttled: 1, throttledBy: { thread: 0, tenant: 1 } });
    expect(stats.windows.find((w) => w.scope === 'tenant')).toEqual({ scope: 'tenant', limit: 30, windowMs: 1000, maxObserved: 30 });
    expect(stats.windows.find((w) => w.scope === 'thread' && w.windowMs === 1000)?.maxObserved).toBe(1);
  });

  it('names the longest wait when several windows are full, in whole seconds', () => {
    now = 0;
    const limiter = new TeamsRateLimiter({ perThread: [{ limit: 2, windowMs: 10_000 }], perTenant: [{ limit: 1, windowMs: 1_000 }] }, clock);
    expect(limiter.admit('t', 'x').admitted).toBe(true);
    now = 600;
    expect(limiter.admit('t', 'x')).toMatchObject({ admitted: false, scope: 'tenant', retryAfterSeconds: 1 });
    now = 1_000;
    expect(limiter.admit('t', 'x').admitted).toBe(true);
    now = 1_200;
    // Thread window: the first post leaves at 10 s, 8.8 s from now → 9; the tenant's would be 0.8 s.
    expect(limiter.admit('t', 'x')).toEqual({ admitted: false, scope: 'thread', window: { limit: 2, windowMs: 10_000 }, retryAfterSeconds: 9 });
  });
});

describe('ConnectorStandIn over HTTP', () => {
  let connector: ConnectorStandIn | undefined;
  afterEach(async () => connector?.close());

  const post = (conversationId: string, tenantId: string, appid = 'bot-app') => {
    const token = `e30.${Buffer.from(JSON.stringify({ appid })).toString('base64url')}.sig`;
    return fetch(`${connector!.serviceUrl}v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'message', text: 'hi', conversation: { id: conversationId, tenantId } }),
    });
  };

  it('answers 429 with Retry-After and Teams\' Throttled error past a limit, and does not record the refused call', async () => {
    now = 0;
    connector = new ConnectorStandIn({ rateLimits: { perThread: [{ limit: 2, windowMs: 1000 }], perTenant: [{ limit: 3, windowMs: 1000 }] }, now: clock });
    await connector.start();
    expect((await post('a', 'tenant-1')).status).toBe(200);
    expect((await post('a', 'tenant-1')).status).toBe(200);
    const refused = await post('a', 'tenant-1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'Throttled', message: expect.stringContaining('Too many requests') } });
    expect((await post('b', 'tenant-1')).status).toBe(200);
    // The tenant's 3 per second are spent (by this app); another tenant's budget is its own.
    expect((await post('c', 'tenant-1')).status).toBe(429);
    expect((await post('c', 'tenant-2')).status).toBe(200);
    expect((await post('d', 'tenant-1', 'another-app')).status).toBe(200);
    expect(connector.calls.map((c) => c.conversationId)).toEqual(['a', 'a', 'b', 'c', 'd']);
    expect(connector.rateLimitStats()).toMatchObject({ admitted: 5, throttled: 2, throttledBy: { thread: 1, tenant: 1 } });
    now = 1_000;
    expect((await post('a', 'tenant-1')).status).toBe(200);
  });

  it('follows Teams\' limits unless told otherwise, and can be told to have none', async () => {
    connector = new ConnectorStandIn();
    expect(connector.rateLimitStats()?.windows.map((w) => `${w.scope} ${w.limit}/${w.windowMs}`)).toEqual([
      'thread 7/1000', 'thread 8/2000', 'thread 60/30000', 'thread 1800/3600000', 'tenant 30/1000',
    ]);
    await connector.close();
    connector = new ConnectorStandIn({ rateLimits: false });
    await connector.start();
    for (let i = 0; i < 10; i += 1) expect((await post('a', 'tenant-1')).status).toBe(200);
    expect(connector.rateLimitStats()).toBeUndefined();
  });
});
