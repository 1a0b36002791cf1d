import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '@scbot/stand-ins';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { createLogger } from '../src/logging';
import { startLocal, type LocalStack } from '../bot/local-mode';
import { percentile, type BenchReport } from './support/report';

/**
 * What the policy file's checks cost a `rotate sc-prod` proposal, over POST /api/messages on the demo seed: the
 * same proposal under today's settings (the baseline, no file) and under docs/examples/policy.demo.yaml, whose
 * rules ask Azure DevOps for the requester's role (identity with its groups, the connection's role assignments,
 * the assigned identities' descriptors; Entra groups from Graph). Warm: the caches (≤ 60 s) hold the person and the
 * roles. Cold: that stack's clock moves 61 s before every turn, so every cache has expired. Interleaved turns, so
 * machine noise hits all three alike. The emulators add no latency: this is the bot's own cost plus loopback.
 */
const WARM_UP = 5;
/**
 * Turns per round; a round starts a fresh cold stack. Its clock moves 61 s a turn and must stay within the hour:
 * @azure/identity judges the stand-in's one-hour tokens by the wall clock, the stand-in by the moved one.
 */
const ROUND = 50;
const ROUNDS = 4;
const TURNS = ROUND * ROUNDS;
const DEMO_POLICY = 'docs/examples/policy.demo.yaml';
/** The Playground's user: Administrator of sc-prod through a nested group in the demo seed. */
const ALEX = { id: '29:bench-alex', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' };
const ROLE_CALLS = /\/_apis\/(identities|securityroles|resourceAreas)/i;

async function rotateTurn(stack: LocalStack, connector: ConnectorStandIn): Promise<number> {
  const conversationId = `a:bench-${randomUUID()}`;
  const body = JSON.stringify({
    type: 'message', id: randomUUID(), timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: connector.serviceUrl,
    text: 'rotate sc-prod', from: ALEX, recipient: { id: 'scbot', name: 'scbot' }, conversation: { id: conversationId, conversationType: 'personal' }, locale: 'en-US',
  });
  const started = performance.now();
  const response = await fetch(stack.botEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status >= 300) throw new Error(`turn failed: HTTP ${response.status}`);
  return elapsed;
}

const roleCalls = (stack: LocalStack) => stack.devops.requests.entries().filter((r) => ROLE_CALLS.test(r.path)).length;

export async function bench(): Promise<BenchReport> {
  const connector = new ConnectorStandIn({ rateLimits: false });
  await connector.start();
  const logger = createLogger({ level: 'silent' });
  const common = { port: 0, playground: false as const, logger, readCacheSeconds: 15 };
  const base = await startLocal({ ...common, clock: new ManualClock(new Date()) });
  const warm = await startLocal({ ...common, clock: new ManualClock(new Date()), policyFile: DEMO_POLICY });
  try {
    const samples: number[][] = [[], [], []];
    const calls = [0, 0];
    for (let round = 0; round < ROUNDS; round += 1) {
      const clock = new ManualClock(new Date());
      const cold = await startLocal({ ...common, clock, policyFile: DEMO_POLICY });
      try {
        for (let i = 0; i < WARM_UP + ROUND; i += 1) {
          clock.advance(61_000);
          const before = [roleCalls(warm), roleCalls(cold)];
          const took = [await rotateTurn(base, connector), await rotateTurn(warm, connector), await rotateTurn(cold, connector)];
          if (i >= WARM_UP) {
            took.forEach((t, k) => samples[k]?.push(t));
            calls[0] = (calls[0] ?? 0) + roleCalls(warm) - (before[0] ?? 0);
            calls[1] = (calls[1] ?? 0) + roleCalls(cold) - (before[1] ?? 0);
          }
          connector.calls.splice(0);
        }
      } finally {
        await cold.close();
      }
    }
    const [b, w, c] = samples.map((s) => s.sort((x, y) => x - y)) as [number[], number[], number[]];
    const p = (s: number[], q: number) => Number(percentile(s, q).toFixed(2));
    const [warmCalls, coldCalls] = calls.map((n) => n / TURNS) as [number, number];
    const added = (x: number[], q: number) => Number((p(x, q) - p(b, q)).toFixed(2));
    const ratio = (x: number[], q: number) => Number((p(x, q) / p(b, q)).toFixed(2));
    const row = (name: string, x: number[], perTurn: number) => [name, p(x, 50), p(x, 99), added(x, 50), added(x, 99), ratio(x, 50), ratio(x, 99), perTurn.toFixed(2)];
    return {
      title: `Policy checks: "rotate sc-prod" proposals on the demo seed (${TURNS} per stack, interleaved, ${ROUNDS} cold stacks)`,
      columns: ['stack', 'p50 ms', 'p99 ms', 'added p50', 'added p99', 'ratio p50', 'ratio p99', 'Azure DevOps role calls per command'],
      rows: [
        row('settings, no policy file (baseline)', b, 0),
        row('policy file, warm (person and roles cached)', w, warmCalls),
        row('policy file, cold (every cache expired)', c, coldCalls),
      ],
      notes: [
        'Role calls: identities (person by sign-in name with ExpandedUp membership; assigned ids to descriptors), security',
        'role assignments of the connection, the identities resource area (once per process). Bound per person and',
        'connection: 10 cold, 0 warm (docs/permissions.md). The Entra group lookup (Graph) is not counted here.',
        'p99 over 200 turns is the 2nd slowest: on a shared machine it moves with GC and neighbours; p50 is the steadier cost.',
      ],
      json: {
        bench: 'policy-checks', turns: TURNS,
        baseline: { p50: p(b, 50), p99: p(b, 99) }, warm: { p50: p(w, 50), p99: p(w, 99), devopsCalls: warmCalls }, cold: { p50: p(c, 50), p99: p(c, 99), devopsCalls: coldCalls },
        addedMs: { warm: { p50: added(w, 50), p99: added(w, 99) }, cold: { p50: added(c, 50), p99: added(c, 99) } },
        ratio: { warm: { p50: ratio(w, 50), p99: ratio(w, 99) }, cold: { p50: ratio(c, 50), p99: ratio(c, 99) } },
      },
    };
  } finally {
    await Promise.allSettled([base.close(), warm.close(), connector.close()]);
  }
}
