/**
 * Pacing of background posts under Teams' limits (src/notify/post-pacer.ts) and the retrying notifier around it
 * (src/notify/paced-notifier.ts), on a manual clock: sleeping only registers a timer, and `run()` jumps from timer
 * to timer, so the tests read the instants calls started at instead of waiting for them.
 */
import { describe, expect, it } from 'vitest';
import { PostPacer, TEAMS_POST_LIMITS, type PostTarget } from '../../src/notify/post-pacer';
import { PacedNotifier } from '../../src/notify/paced-notifier';
import { NO_TELEMETRY } from '../../src/telemetry/telemetry.port';
import type { ConversationAddress, Notifier } from '../../src/notify/notifier.port';
import { AppError } from '../../src/domain/errors';
import type { CardMessage } from '../../src/cards/card';

class ManualTime {
  now = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  readonly sleep = (ms: number): Promise<void> => new Promise((resolve) => this.timers.push({ at: this.now + ms, resolve }));

  /** Lets every promise chain settle, then fires the earliest timer, until `work` is done. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const result = work.finally(() => { done = true; });
    result.catch(() => undefined);
    for (;;) {
      // A real millisecond: cockatiel schedules its next attempt with a zero-length setTimeout.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (done) return result;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) continue;
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
  }
}

const target = (conversationId: string, tenantId = 'tenant'): PostTarget => ({ conversationId, tenantId });

/** The most start instants within any window of `windowMs` (a window ending at each start). */
function maxInWindow(starts: number[], windowMs: number): number {
  return Math.max(0, ...starts.map((end) => starts.filter((t) => t > end - windowMs && t <= end).length));
}

describe('PostPacer (Teams limits, manual clock)', () => {
  it('lets 7 posts into one conversation at once, then keeps to 7 per second and 8 per 2 seconds', async () => {
    const time = new ManualTime();
    const pacer = new PostPacer(TEAMS_POST_LIMITS, () => time.now, time.sleep);
    const starts: number[] = [];
    await time.run((async () => {
      for (let i = 0; i < 10; i += 1) {
        (await pacer.acquire(target('a')))();
        starts.push(time.now);
      }
    })());
    expect(starts).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 2000, 2000]);
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(starts, 2000)).toBeLessThanOrEqual(8);
  });

  it('shares 30 per second among every conversation of a tenant; another tenant has its own 30', async () => {
    const time = new ManualTime();
    const pacer = new PostPacer(TEAMS_POST_LIMITS, () => time.now, time.sleep);
    const starts = new Map<string, number[]>();
    const post = async (t: PostTarget) => {
      (await pacer.acquire(t))();
      starts.set(t.tenantId, [...(starts.get(t.tenantId) ?? []), time.now]);
    };
    await time.run(Promise.all([
      ...Array.from({ length: 75 }, (_, i) => post(target(`c${i}`))),
      ...Array.from({ length: 10 }, (_, i) => post(target(`d${i}`, 'other'))),
    ]));
    const tenant = starts.get('tenant') ?? [];
    expect(tenant).toHaveLength(75);
    expect(maxInWindow(tenant, 1000)).toBe(30);
    expect(tenant.filter((t) => t === 0)).toHaveLength(30);
    expect(Math.max(...tenant)).toBe(2000);
    expect(starts.get('other')).toEqual(Array.from({ length: 10 }, () => 0));
  });

  it('counts a call until it is answered, then from its answer: a fast call cannot overtake a slow one into the next window', async () => {
    const time = new ManualTime();
    const pacer = new PostPacer({ perConversation: [], perTenant: [{ limit: 1, windowMs: 1000 }] }, () => time.now, time.sleep);
    const slow = await pacer.acquire(target('a'));
    time.now = 300;
    let startedAt: number | undefined;
    const next = pacer.acquire(target('b')).then((answered) => {
      startedAt = time.now;
      answered();
    });
    // The slow call is answered at 1800; by its start (0) the next could go at 1000, by its answer only at 2800.
    await time.run(Promise.all([next, time.sleep(1500).then(() => slow())]));
    expect(startedAt).toBe(2800);
  });

  it('holds the conversation and its whole tenant back for a pause (a Retry-After)', async () => {
    const time = new ManualTime();
    const pacer = new PostPacer(TEAMS_POST_LIMITS, () => time.now, time.sleep);
    pacer.pause(target('a'), 2500);
    const starts: Record<string, number> = {};
    await time.run(Promise.all(['a', 'b'].map(async (id) => {
      (await pacer.acquire(target(id)))();
      starts[id] = time.now;
    })));
    (await pacer.acquire(target('c', 'other')))();
    expect(starts).toEqual({ a: 2500, b: 2500 });
    expect(time.now).toBe(2500);
    expect(pacer.totalWaitMs).toBe(5000);
  });
});

/** A Bot Connector notifier that answers each post with the next scripted outcome and records when it started. */
class ScriptedNotifier implements Notifier {
  readonly started: Array<{ conversationId: string; text: string; at: number }> = [];
  constructor(private readonly time: ManualTime, private readonly script: Map<string, Array<AppError | 'ok'>>) {}

  async post(to: ConversationAddress, message: CardMessage): Promise<void> {
    this.started.push({ conversationId: to.conversationId, text: message.text, at: this.time.now });
    const outcome = this.script.get(to.conversationId)?.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
  }

  async update(): Promise<void> {}
}

const address = (conversationId: string, tenantId = 'tenant'): ConversationAddress => ({
  conversationId, reference: { conversation: { id: conversationId, tenantId }, serviceUrl: 'https://smba.trafficmanager.net/emea/' },
});
const message = (text: string): CardMessage => ({ text, view: { template: 'message', model: {} } });
const throttled = (retryAfterMs?: number) => new AppError('TEAMS.THROTTLED', 'the Bot Connector answered 429', { status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const unavailable = (status: number) => new AppError('TEAMS.UNAVAILABLE', `the Bot Connector answered ${status}`, { status });

function paced(script: Record<string, Array<AppError | 'ok'>>, options: { maxAttempts?: number; maxRetryAfterMs?: number } = {}) {
  const time = new ManualTime();
  const inner = new ScriptedNotifier(time, new Map(Object.entries(script)));
  const notifier = new PacedNotifier({ inner, now: () => time.now, sleep: time.sleep, random: () => 0, ...options });
  return { time, inner, notifier };
}

describe('PacedNotifier (retries, manual clock)', () => {
  it('waits out a 429\'s Retry-After, holding back the rest of the tenant too, then posts once', async () => {
    const { time, inner, notifier } = paced({ a: [throttled(2000)] });
    await time.run(notifier.post(address('a'), message('first')));
    await time.run(Promise.all([notifier.post(address('a'), message('second')), notifier.post(address('b'), message('other'))]));
    expect(inner.started).toEqual([
      { conversationId: 'a', text: 'first', at: 0 },
      { conversationId: 'a', text: 'first', at: 2000 },
      { conversationId: 'a', text: 'second', at: 2000 },
      { conversationId: 'b', text: 'other', at: 2000 },
    ]);
    expect(notifier.stats()).toEqual({ calls: 4, retries: 1, throttled: 1, failed: 0, waitedMs: 2000 });
  });

  it('retries 412, 502, 503 and 504 with a growing backoff; a 429 without Retry-After backs off the same way', async () => {
    const { time, inner, notifier } = paced({ a: [unavailable(502), unavailable(503), unavailable(504), throttled()] });
    await time.run(notifier.post(address('a'), message('m')));
    // random() = 0: half of 500, 1000, 2000, 4000 ms.
    expect(inner.started.map((s) => s.at)).toEqual([0, 250, 750, 1750, 3750]);
    expect(notifier.stats()).toMatchObject({ calls: 5, retries: 4, throttled: 1, failed: 0 });
  });

  it('does not retry a refusal (403, 404, 400): it rejects at once for the caller to keep it pending', async () => {
    const refused = new AppError('TEAMS.REFUSED', 'the Bot Connector answered 403', { status: 403 });
    const { time, inner, notifier } = paced({ a: [refused] });
    await expect(time.run(notifier.post(address('a'), message('m')))).rejects.toBe(refused);
    expect(inner.started).toHaveLength(1);
    expect(notifier.stats()).toMatchObject({ calls: 1, retries: 0, failed: 1 });
  });

  it('gives up after its attempts, and at once on a Retry-After longer than it waits for', async () => {
    const always = Array.from({ length: 10 }, () => throttled(1000));
    const { time, inner, notifier } = paced({ a: always, b: [throttled(3_600_000)] }, { maxAttempts: 3 });
    await expect(time.run(notifier.post(address('a'), message('m')))).rejects.toMatchObject({ code: 'TEAMS.THROTTLED' });
    expect(inner.started.filter((s) => s.conversationId === 'a').map((s) => s.at)).toEqual([0, 1000, 2000]);
    await expect(time.run(notifier.post(address('b'), message('m')))).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    expect(inner.started.filter((s) => s.conversationId === 'b')).toHaveLength(1);
    expect(notifier.stats()).toMatchObject({ throttled: 4, failed: 2 });
  });

  it('keeps the order of posts to one conversation even when they are made at once and the first is throttled', async () => {
    const { time, inner, notifier } = paced({ a: [throttled(1000)] });
    await time.run(Promise.all(['1', '2', '3'].map((n) => notifier.post(address('a'), message(n)))));
    expect(inner.started.map((s) => s.text)).toEqual(['1', '1', '2', '3']);
  });

  it('idle() resolves once every queued post has been sent: the drain\'s flush', async () => {
    const { time, inner, notifier } = paced({ a: [throttled(2000)] });
    const posts = [notifier.post(address('a'), message('first')), notifier.post(address('a'), message('second')), notifier.post(address('b'), message('other'))];
    let flushed = false;
    const idle = notifier.idle().then(() => { flushed = true; });
    await time.run(Promise.all(posts));
    await idle;
    expect(flushed).toBe(true);
    expect(inner.started.filter((s) => s.text === 'second')).toEqual([{ conversationId: 'a', text: 'second', at: 2000 }]);
    await notifier.idle();
  });

  it('counts posts by outcome, retries by status and the time spent waiting for a slot', async () => {
    const counted: Array<{ counter: string; attributes: unknown; value: number }> = [];
    const telemetry = { span: NO_TELEMETRY.span, annotate: () => undefined, count: (counter: string, attributes: unknown = {}, value = 1) => { counted.push({ counter, attributes, value }); } };
    const time = new ManualTime();
    const inner = new ScriptedNotifier(time, new Map(Object.entries({ a: [throttled(2000)], b: [new AppError('TEAMS.REFUSED', 'the Bot Connector answered 403', { status: 403 })] })));
    const notifier = new PacedNotifier({ inner, now: () => time.now, sleep: time.sleep, random: () => 0, telemetry });
    await time.run(notifier.post(address('a'), message('m')));
    await expect(time.run(notifier.post(address('b'), message('m')))).rejects.toMatchObject({ code: 'TEAMS.REFUSED' });
    expect(counted.filter((c) => c.counter === 'posts.paced').map((c) => c.attributes)).toEqual([{ outcome: 'sent' }, { outcome: 'failed' }]);
    expect(counted.filter((c) => c.counter === 'posts.retried').map((c) => c.attributes)).toEqual([{ status: 429 }]);
    expect(counted.filter((c) => c.counter === 'posts.waited.ms').reduce((sum, c) => sum + c.value, 0)).toBe(notifier.stats().waitedMs);
  });
});
