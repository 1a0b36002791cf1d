import { AlertStore } from '../../src/alerts/alert-store';
import { describe, expect, it } from 'vitest';
import { AlertRadar, SCAN_LEASE, type AlertSettings, type FindingsScanner } from '../../src/alerts/radar';
import type { ConversationAddress, Notifier } from '../../src/notify/notifier.port';
import type { Subscription } from '../../src/alerts/alert-store';
import type { ScanResult } from '../../src/alerts/scanner';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { AppError } from '../../src/domain/errors';
import { DEFAULT_THRESHOLDS, type Finding } from '../../src/domain/findings';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { RUN_LEASES } from '../../src/store/run-lease';
import { findingOf } from './alert-fixture';

const SETTINGS: AlertSettings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: false, projects: [] };
const MINUTE = 60_000;
const logger = createLogger({ level: 'silent' });

/** Answers with whatever the test put in `findings` (or throws `failure`); counts scans. */
class ScriptedScanner implements FindingsScanner {
  findings: Finding[] = [];
  gaps: ScanResult['gaps'] = { projects: [], secretsOf: [], historyOf: [] };
  failure: unknown;
  scans = 0;
  gate: Promise<void> | undefined;

  async scan(): Promise<ScanResult> {
    this.scans += 1;
    await this.gate;
    if (this.failure) throw this.failure;
    return { findings: [...this.findings], gaps: this.gaps, stats: { calls: { devopsProjects: 1, devopsList: 2, devopsHistory: 0, graph: 3 }, connections: 10, notes: [] } };
  }
}

class RecordingPoster implements Notifier {
  readonly posts: Array<{ conversationId: string; text: string }> = [];
  failNext = 0;
  failStatus = 502;

  async update(): Promise<void> {
    throw new Error('the radar only posts');
  }

  async post(subscription: ConversationAddress, reply: { text: string }): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error(`connector said ${this.failStatus}`), { statusCode: this.failStatus });
    }
    this.posts.push({ conversationId: subscription.conversationId, text: reply.text });
  }

  take(): string[] {
    // A single alert's text goes on with "(project). detail"; lists end with the names.
    return this.posts.splice(0).map((p) => `${p.conversationId}: ${p.text.split(' (')[0]}`);
  }
}

function subscription(conversationId: string): Subscription {
  return { conversationId, reference: { serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: conversationId } }, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T06:00:00.000Z' };
}

function setUp(settings: Partial<AlertSettings> = {}) {
  const clock = new ManualClock('2026-11-22T06:00:00.000Z');
  const store = new EmbeddedStore();
  const scanner = new ScriptedScanner();
  const poster = new RecordingPoster();
  const radar = new AlertRadar({ scanner, store, clock, logger, settings: { ...SETTINGS, ...settings }, notifier: poster, owner: 'instance-a', repeat: () => () => undefined });
  return { clock, store, scanner, poster, radar };
}

const failed = findingOf('failed', 1);
const expiring = findingOf('secret-expiring', 2);

describe('AlertRadar', () => {
  it('posts a new finding once, not again on the next scan, and "resolved" once it is fixed', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned', findings: 1, posts: 1, conversations: 1 });
    expect(poster.take()).toEqual(['ops: Connection failed: sc-1']);
    clock.advance(MINUTE);
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned', posts: 0 });
    expect(poster.take()).toEqual([]);
    scanner.findings = [];
    await radar.runNow();
    expect(poster.take()).toEqual(['ops: 1 alert resolved: sc-1']);
    await radar.runNow();
    expect(poster.take()).toEqual([]);
  });

  it('a digest when there are many new findings at once; each subscribed conversation gets its own', async () => {
    const { scanner, poster, radar } = setUp({ digestOver: 2 });
    await radar.subscribe(subscription('ops'));
    await radar.subscribe(subscription('sec'));
    scanner.findings = [failed, expiring, findingOf('unused', 3)];
    await radar.runNow();
    expect(poster.take().sort()).toEqual(['ops: 3 new alerts: sc-1, sc-2, sc-3', 'sec: 3 new alerts: sc-1, sc-2, sc-3']);
  });

  it('a conversation subscribed for one project gets only that project\'s findings (and their resolution)', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe({ ...subscription('payments'), projects: ['payments'] });
    await radar.subscribe(subscription('everything'));
    const inPayments = findingOf('failed', 1, { project: 'Payments' });
    const inPlatform = findingOf('failed', 2, { project: 'Platform' });
    scanner.findings = [inPayments, inPlatform];
    await radar.runNow();
    expect(poster.take().sort()).toEqual(['everything: Connection failed: sc-1', 'everything: Connection failed: sc-2', 'payments: Connection failed: sc-1']);
    scanner.findings = [inPayments];
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual(['everything: 1 alert resolved: sc-2']);
  });

  it('a conversation that subscribes later gets what is open at its first scan', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    await radar.subscribe(subscription('late'));
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual(['late: Connection failed: sc-1']);
  });

  it('reminds of still-open findings after the reminder period, once', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    clock.advance(23 * 60 * MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual([]);
    clock.advance(60 * MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual(['ops: Still open: 1 alert: sc-1']);
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual([]);
  });

  it('a post that fails is not recorded, so the next scan posts it again; the others still get theirs', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    poster.failNext = 1;
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned', posts: 0, failedPosts: 1 });
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual(['ops: Connection failed: sc-1']);
  });

  it('a conversation whose posts are refused as forbidden three scans in a row is unsubscribed; a good post resets the count', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('gone'));
    scanner.findings = [failed];
    poster.failStatus = 403;
    poster.failNext = 2;
    for (let i = 0; i < 2; i += 1) {
      await radar.runNow();
      clock.advance(MINUTE);
    }
    expect((await radar.status('gone')).subscription?.refusedPosts).toBe(2);
    await radar.runNow();
    expect(poster.take()).toEqual(['gone: Connection failed: sc-1']);
    expect((await radar.status('gone')).subscription?.refusedPosts).toBeUndefined();

    scanner.findings = [failed, expiring];
    poster.failNext = 3;
    for (let i = 0; i < 3; i += 1) {
      clock.advance(MINUTE);
      await radar.runNow();
    }
    expect((await radar.status('gone')).subscription).toBeUndefined();
    // A 5xx is the connector's hiccup, not a removal: it never unsubscribes.
    await radar.subscribe(subscription('flaky'));
    poster.failStatus = 502;
    poster.failNext = 5;
    for (let i = 0; i < 5; i += 1) {
      clock.advance(MINUTE);
      await radar.runNow();
    }
    expect((await radar.status('flaky')).subscription).toBeDefined();
  });

  it('a failed scan posts nothing, keeps the previous findings and says so in the status', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    scanner.failure = new AppError('DEVOPS.UNAUTHORIZED', 'token rejected');
    clock.advance(MINUTE);
    expect(await radar.runNow()).toEqual({ kind: 'failed', code: 'DEVOPS.UNAUTHORIZED' });
    expect(poster.take()).toEqual([]);
    const status = await radar.status('ops');
    expect(status.lastScan).toMatchObject({ ok: false, errorCode: 'DEVOPS.UNAUTHORIZED', findings: [failed] });
    // Back to normal: nothing is "resolved" by the failed scan, so nothing is re-posted either.
    scanner.failure = undefined;
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual([]);
  });

  it('tells subscribers once when scans keep failing (the radar is blind), and once when they work again', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    scanner.failure = new AppError('DEVOPS.UNAUTHORIZED', 'token rejected');
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.posts).toEqual([]);
    for (let i = 0; i < 3; i += 1) {
      clock.advance(MINUTE);
      await radar.runNow();
    }
    const blind = poster.posts.splice(0);
    expect(blind).toHaveLength(1);
    expect(blind[0]!.text).toBe('I cannot scan Azure DevOps for alerts right now. I could not sign in to Azure DevOps. Ask an administrator to check the bot\'s Azure DevOps identity.');
    expect((await radar.status('ops')).lastScan).toMatchObject({ ok: false, failedInARow: 4, lastOkAt: '2026-11-22T06:00:00.000Z', blindSince: '2026-11-22T06:02:00.000Z' });

    scanner.failure = undefined;
    scanner.findings = [failed, expiring];
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual(['ops: Alert scans work again. Scans failed from 2026-11-22 06:02 UTC until 2026-11-22 06:05 UTC; what is open now is posted here as usual.', 'ops: Secret expiring: sc-2']);
    expect((await radar.status('ops')).lastScan).not.toHaveProperty('blindSince');
    clock.advance(MINUTE);
    await radar.runNow();
    expect(poster.take()).toEqual([]);
  });

  it('a project the scan could not list does not resolve its findings', async () => {
    const { scanner, poster, radar, clock } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    scanner.findings = [];
    scanner.gaps = { projects: [failed.project], secretsOf: [], historyOf: [] };
    clock.advance(MINUTE);
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned', findings: 1, posts: 0 });
    expect(poster.take()).toEqual([]);
  });

  it('alerts off: nothing more is posted there and what was posted is forgotten', async () => {
    const { scanner, poster, radar, store } = setUp();
    await radar.subscribe(subscription('ops'));
    scanner.findings = [failed];
    await radar.runNow();
    poster.take();
    expect(await radar.unsubscribe('ops')).toBe(true);
    expect(await radar.unsubscribe('ops')).toBe(false);
    scanner.findings = [];
    await radar.runNow();
    expect(poster.take()).toEqual([]);
    expect(await store.list('alert-posted')).toEqual([]);
  });

  it('scans on schedule: not before the interval has passed since the last scan by any instance', async () => {
    const { scanner, radar, clock } = setUp({ intervalMinutes: 30 });
    expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned' });
    clock.advance(29 * MINUTE);
    expect(await radar.runIfDue()).toEqual({ kind: 'not-due', nextAt: '2026-11-22T06:30:00.000Z' });
    clock.advance(MINUTE);
    expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned' });
    expect(scanner.scans).toBe(2);
  });

  it('no schedule when the interval is 0: only runNow scans', async () => {
    const { scanner, radar } = setUp({ intervalMinutes: 0 });
    expect(await radar.runIfDue()).toMatchObject({ kind: 'not-due' });
    expect(scanner.scans).toBe(0);
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned' });
  });

  it('two instances on one store, ticking together: one scan per interval', async () => {
    const { store, clock, scanner } = setUp();
    const poster = new RecordingPoster();
    const make = (owner: string) => {
      return new AlertRadar({ scanner, store, clock, logger, settings: SETTINGS, notifier: poster, owner, repeat: () => () => undefined });
    };
    const [a, b] = [make('instance-a'), make('instance-b')];
    await a.subscribe(subscription('ops'));
    scanner.findings = [failed];
    let release = () => undefined as void;
    scanner.gate = new Promise<void>((resolve) => { release = resolve; });
    const first = a.runIfDue();
    // B ticks while A holds the lease (A is mid-scan): busy, no second scan.
    await expect.poll(() => scanner.scans).toBe(1);
    expect(await b.runIfDue()).toEqual({ kind: 'busy' });
    release();
    expect(await first).toMatchObject({ kind: 'scanned', posts: 1 });
    // B ticks again after A finished: the lease is free but the interval has not passed.
    expect(await b.runIfDue()).toMatchObject({ kind: 'not-due' });
    clock.advance(60 * MINUTE);
    expect(await b.runIfDue()).toMatchObject({ kind: 'scanned', posts: 0 });
    expect(await a.runIfDue()).toMatchObject({ kind: 'not-due' });
    expect(scanner.scans).toBe(2);
    expect(poster.posts).toHaveLength(1);
    expect(await store.get(RUN_LEASES, SCAN_LEASE)).toBeUndefined();
  });

  it('in one process a second scan while one runs is refused, not queued', async () => {
    const { scanner, radar } = setUp();
    let release = () => undefined as void;
    scanner.gate = new Promise<void>((resolve) => { release = resolve; });
    const first = radar.runNow();
    expect(radar.startScan()).toBe('busy');
    expect(await radar.runNow()).toEqual({ kind: 'busy' });
    release();
    await first;
    expect(scanner.scans).toBe(1);
    expect(radar.startScan()).toBe('started');
    await radar.idle();
    expect(scanner.scans).toBe(2);
  });

  it('a plan\'s re-judging never waits for a scan running here, and a scan started during one is refused: one scan-lease holder per process', async () => {
    const { scanner, radar, store } = setUp();
    scanner.findings = [failed];
    await radar.runNow();
    let release = () => undefined as void;
    scanner.gate = new Promise<void>((resolve) => { release = resolve; });
    const scan = radar.runNow();
    // The plan's outcome does not wait behind the scan held at its gate; that scan (or the next) judges the connection.
    await radar.resolveFixed([failed.endpointId]);
    release();
    await scan;
    // Two scans, no re-judging scan of its own.
    expect(scanner.scans).toBe(2);

    scanner.findings = [failed];
    await radar.runNow();
    scanner.gate = new Promise<void>((resolve) => { release = resolve; });
    scanner.findings = [];
    const rejudging = radar.resolveFixed([failed.endpointId]);
    expect(await radar.runNow()).toEqual({ kind: 'busy' });
    release();
    await rejudging;
    expect(scanner.scans).toBe(4);
    expect((await new AlertStore(store).lastScan())?.findings).toEqual([]);
  });

  it('start() ticks every minute (or every interval when shorter) and scans when due; stop ends it', async () => {
    const ticks: Array<{ fn: () => void; ms: number; stopped: boolean }> = [];
    const clock = new ManualClock('2026-11-22T06:00:00.000Z');
    const scanner = new ScriptedScanner();
    const repeat = (fn: () => void, ms: number) => {
      const entry = { fn, ms, stopped: false };
      ticks.push(entry);
      return () => { entry.stopped = true; };
    };
    const radar = new AlertRadar({ scanner, store: new EmbeddedStore(), clock, logger, settings: { ...SETTINGS, intervalMinutes: 60 }, notifier: new RecordingPoster(), repeat });
    const stop = radar.start();
    const timer = ticks.find((t) => t.ms === MINUTE);
    expect(timer).toBeDefined();
    timer!.fn();
    await radar.idle();
    expect(scanner.scans).toBe(1);
    clock.advance(30 * MINUTE);
    timer!.fn();
    await radar.idle();
    expect(scanner.scans).toBe(1);
    stop();
    expect(timer!.stopped).toBe(true);

    const short = new AlertRadar({ scanner, store: new EmbeddedStore(), clock, logger, settings: { ...SETTINGS, intervalMinutes: 0 }, notifier: new RecordingPoster(), repeat });
    const before = ticks.length;
    short.start()();
    expect(ticks.length).toBe(before);
  });
});
