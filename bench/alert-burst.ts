import { performance } from 'node:perf_hooks';
import { ConnectorStandIn, TEAMS_RATE_LIMITS, type RateLimitStats, type TeamsRateLimitSettings } from '@scbot/stand-ins/botframework';
import { createAdapter } from '../bot/server';
import { BotNotifier } from '../bot/notifier';
import { AlertDelivery } from '../src/alerts/delivery';
import { AlertStore } from '../src/alerts/alert-store';
import { systemClock } from '../src/domain/time';
import type { Finding } from '../src/domain/findings';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy } from '../src/domain/service-url';
import { createLogger } from '../src/logging';
import type { Notifier } from '../src/notify/notifier.port';
import { PacedNotifier, type PacingStats } from '../src/notify/paced-notifier';
import { EmbeddedStore } from '../src/store/embedded-store';
import type { BenchReport } from './support/report';

/**
 * An alert burst to 500 subscribed conversations of one tenant: three connections fail at once, so every
 * conversation is due three alert cards (1,500 posts), delivered by the real AlertDelivery through the real
 * botbuilder proactive path to the connector stand-in enforcing Teams' documented limits (per thread 7/1 s, 8/2 s,
 * 60/30 s, 1,800/h; 30/s per app per tenant). Paced (the product: PacedNotifier) against the same delivery
 * without the pacer (the Bot Connector notifier alone, SDK retries off as in production), in the same run; the
 * bound is the tenant's 30 posts per second. Also: a burst the per-thread windows bind (5 conversations × 24 cards),
 * and one against a stand-in enforcing half the documented tenant limit (429s answered by waiting). Reported,
 * never asserted. BENCH_BURST_CONVERSATIONS overrides 500.
 */
const CONVERSATIONS = Number(process.env.BENCH_BURST_CONVERSATIONS ?? 500);
const TENANT = 'bench-tenant';
const logger = createLogger({ level: 'silent' });

/** Per conversation in the thread-bound burst: every card posted alone (digest threshold above it). */
const THREAD_CARDS = 24;
const THREAD_CONVERSATIONS = 5;

const failures = (count: number): Finding[] => Array.from({ length: count }, (_, i) => ({
  key: `failed:bench-${i}`, kind: 'failed', endpointId: `bench-${i}`, name: `sc-burst-${i}`, project: 'Payments',
  detail: 'Failed: AADSTS7000215: Invalid client secret provided.', since: '2026-11-22T06:00:00.000Z', severity: 'critical', suggestedAction: 'rotate',
}));

/**
 * The earliest the n-th post to one conversation can start under 7 per 1 s and 8 per 2 s (sliding): 7 at once,
 * the 8th a second later, then the same again every 2 s; so post n starts at 2·⌊(n-1)/8⌋ s, plus 1 s for the 8th.
 */
const threadBoundSeconds = (n: number): number => 2 * Math.floor((n - 1) / 8) + ((n - 1) % 8 === 7 ? 1 : 0);

interface Run {
  name: string;
  seconds: number;
  delivered: number;
  pending: number;
  connector: RateLimitStats;
  pacing?: PacingStats;
}

interface Shape {
  conversations: number;
  cards: number;
  /** What the stand-in enforces; Teams' documented limits unless a run says otherwise. */
  limits?: TeamsRateLimitSettings;
}

/** Teams at half its documented tenant limit ("the exact values are subject to change"): the bot, pacing for 30/s, is throttled. */
const HALVED: TeamsRateLimitSettings = { perThread: TEAMS_RATE_LIMITS.perThread, perTenant: [{ limit: 15, windowMs: 1_000 }] };
const HALVED_CONVERSATIONS = 60;

async function burst(name: string, shape: Shape, wrap: (inner: Notifier) => Notifier): Promise<Run> {
  const findings = failures(shape.cards);
  const connector = new ConnectorStandIn({ rateLimits: shape.limits ?? TEAMS_RATE_LIMITS });
  await connector.start();
  const urls = serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true });
  const notifier = wrap(new BotNotifier(createAdapter({}, urls, logger), '', urls));
  const alerts = new AlertStore(new EmbeddedStore());
  for (let i = 0; i < shape.conversations; i += 1) {
    const conversationId = `19:bench-${i}@thread.tacv2`;
    const reference = { serviceUrl: connector.serviceUrl, channelId: 'msteams', conversation: { id: conversationId, tenantId: TENANT, isGroup: true }, bot: { id: 'scbot', name: 'scbot' } };
    await alerts.subscribe({ conversationId, reference, tenantId: TENANT, subscribedBy: { name: 'Bench' }, subscribedAt: '2026-11-22T05:00:00.000Z' });
  }
  const delivery = new AlertDelivery({ alerts, notifier, clock: systemClock, logger, settings: { reminderHours: 24, digestOver: Math.max(3, shape.cards) } });
  try {
    const started = performance.now();
    const outcome = await delivery.deliverAll(findings);
    const seconds = (performance.now() - started) / 1000;
    const delivered = connector.calls.filter((c) => c.kind === 'send').length;
    if (delivered !== outcome.posts) throw new Error(`${name}: the connector recorded ${delivered} posts, delivery counted ${outcome.posts}`);
    const pacing = notifier instanceof PacedNotifier ? notifier.stats() : undefined;
    return { name, seconds, delivered, pending: shape.conversations * shape.cards - delivered, connector: connector.rateLimitStats() as RateLimitStats, ...(pacing ? { pacing } : {}) };
  } finally {
    await connector.close();
  }
}

const maxOf = (run: Run, scope: 'thread' | 'tenant', windowMs: number): number =>
  run.connector.windows.find((w) => w.scope === scope && w.windowMs === windowMs)?.maxObserved ?? 0;

export async function bench(): Promise<BenchReport> {
  const tenantBurst = { conversations: CONVERSATIONS, cards: 3 };
  const threadBurst = { conversations: THREAD_CONVERSATIONS, cards: THREAD_CARDS };
  const due = tenantBurst.conversations * tenantBurst.cards;
  const tenantLimit = TEAMS_RATE_LIMITS.perTenant[0]?.limit ?? 30;
  // A sliding window lets the first `limit` posts go at once, then `limit` more each second: the last one starts
  // (ceil(due / limit) - 1) seconds in, at best.
  const boundSeconds = Math.ceil(due / tenantLimit) - 1;
  const threadBound = threadBoundSeconds(THREAD_CARDS);
  const unpaced = await burst('unpaced', tenantBurst, (inner) => inner);
  const paced = await burst('paced', tenantBurst, (inner) => new PacedNotifier({ inner }));
  const thread = await burst(`paced, ${THREAD_CONVERSATIONS} × ${THREAD_CARDS}`, threadBurst, (inner) => new PacedNotifier({ inner }));
  const halved = await burst(`paced, Teams at 15/s, ${HALVED_CONVERSATIONS} × 3`, { conversations: HALVED_CONVERSATIONS, cards: 3, limits: HALVED }, (inner) => new PacedNotifier({ inner }));
  const halvedBound = Math.ceil((HALVED_CONVERSATIONS * 3) / 15) - 1;
  const rate = (run: Run) => run.delivered / run.seconds;
  const row = (run: Run, bound: number) => [
    run.name, run.delivered, run.pending, run.seconds.toFixed(1), rate(run).toFixed(1), run.pending > 0 ? '–' : (bound / run.seconds).toFixed(2),
    run.connector.throttled, run.pacing?.retries ?? 0, maxOf(run, 'thread', 1000), maxOf(run, 'thread', 2000), maxOf(run, 'tenant', 1000),
  ];
  const json = {
    bench: 'alert-burst', conversations: CONVERSATIONS, postsDue: due, tenantLimitPerSecond: tenantLimit, threadLimitPerSecond: TEAMS_RATE_LIMITS.perThread[0]?.limit,
    boundSeconds, pacedSeconds: Number(paced.seconds.toFixed(2)), pacedDelivered: paced.delivered, pacedLost: paced.pending,
    pacedPostsPerSecond: Number(rate(paced).toFixed(2)), pacedBoundVsSeconds: Number((boundSeconds / paced.seconds).toFixed(3)),
    pacedThrottled: paced.connector.throttled, pacedRetries: paced.pacing?.retries ?? 0,
    pacedMaxPerThreadPerSecond: maxOf(paced, 'thread', 1000), pacedMaxPerTenantPerSecond: maxOf(paced, 'tenant', 1000),
    unpacedSeconds: Number(unpaced.seconds.toFixed(2)), unpacedDelivered: unpaced.delivered, unpacedPending: unpaced.pending, unpacedThrottled: unpaced.connector.throttled,
    threadBurst: {
      conversations: THREAD_CONVERSATIONS, cardsEach: THREAD_CARDS, boundSeconds: threadBound, seconds: Number(thread.seconds.toFixed(2)),
      delivered: thread.delivered, lost: thread.pending, throttled: thread.connector.throttled, retries: thread.pacing?.retries ?? 0,
      maxPerThreadPerSecond: maxOf(thread, 'thread', 1000), maxPerThreadPer2Seconds: maxOf(thread, 'thread', 2000),
    },
    halvedTenantLimit: {
      conversations: HALVED_CONVERSATIONS, tenantLimitPerSecond: 15, boundSeconds: halvedBound, seconds: Number(halved.seconds.toFixed(2)),
      delivered: halved.delivered, lost: halved.pending, throttled: halved.connector.throttled, retries: halved.pacing?.retries ?? 0,
      postsPerSecond: Number(rate(halved).toFixed(2)),
    },
  };
  return {
    title: `Alert burst: ${CONVERSATIONS} conversations × 3 cards (and ${THREAD_CONVERSATIONS} × ${THREAD_CARDS}), connector enforcing Teams' limits`,
    columns: ['delivery', 'delivered', 'pending', 'seconds', 'posts/s', 'bound s / seconds', '429s', 'retries', 'max per thread in 1 s', 'in 2 s', 'max per tenant in 1 s'],
    rows: [row(unpaced, boundSeconds), row(paced, boundSeconds), row(thread, threadBound), row(halved, halvedBound)],
    notes: [
      `Bound (tenant): ${due} posts at ${tenantLimit} per sliding second per app per tenant, the last can start ${boundSeconds} s in; 1.00 = at the bound. At 3 cards per conversation the per-thread limits never bind.`,
      `Bound (thread): ${THREAD_CARDS} cards to each of ${THREAD_CONVERSATIONS} conversations under 7 per 1 s and 8 per 2 s, the last can start ${threadBound} s in.`,
      'Teams at 15/s: the stand-in halves the tenant limit; the bot still paces for 30/s, is throttled, and waits each Retry-After (holding back the tenant): slower, nothing lost.',
      'Unpaced: the same delivery without the pacer; what is not delivered stays pending (posted by the next scan), each conversation stopping at its first refused post.',
      'The stand-in counts only the calls it admitted, so its windows never exceed the limits; the 429s are the calls past them.',
    ],
    json,
  };
}
