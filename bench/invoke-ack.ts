import { performance } from 'node:perf_hooks';
import { startLocal, type LocalStack } from '../bot/local-mode';
import { createLogger } from '../src/logging';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { benchUser, requestPlan, tap, type CardRef } from './support/card-taps';
import { convertibleSeed } from './support/convertible-seed';
import { percentile, type BenchReport } from './support/report';

/**
 * Invoke acknowledgement (POST of an `adaptiveCard/action` invoke to the complete HTTP answer) while a
 * 500-connection `convert all` executes in the background, beside the same taps on the same bot when idle, in one
 * run: idle phase, busy phase (until the plan is done), idle phase again. The invokes measured are taps on cards:
 *  - `refresh` on a second, pending one-connection plan (identical work in every phase: reload, render);
 *  - a duplicate `approve` on the executing 500-connection plan by an approver who already approved (what Teams'
 *    retries and impatient users send); its idle figure is measured after the plan is done.
 * The DevOps emulator adds latency so the plan runs for several seconds; it runs in the bot's process, so its CPU
 * is part of the load. Target: p99 <= 1 s while busy (issue 4 §1). Reported, never asserted.
 */
const CONNECTIONS = Number(process.env.BENCH_INVOKE_CONNECTIONS ?? 500);
const LATENCY_MS = Number(process.env.BENCH_INVOKE_LATENCY_MS ?? 100);
const IDLE_TAPS = 200;
const [A, B, C] = [benchUser('a'), benchUser('b'), benchUser('c')];

interface Samples { refresh: number[]; duplicate: number[] }
const empty = (): Samples => ({ refresh: [], duplicate: [] });

async function idlePhase(stack: LocalStack, connector: ConnectorStandIn, cards: { small: CardRef; big?: CardRef }, taps: number, into: Samples): Promise<void> {
  for (let i = 0; i < taps; i += 1) {
    into.refresh.push(await tap(stack.botEndpoint, connector.serviceUrl, cards.small, C, 'refresh'));
    if (cards.big) into.duplicate.push(await tap(stack.botEndpoint, connector.serviceUrl, cards.big, C, 'approve'));
  }
}

/** Alternates the two taps until the background execution is over; returns its duration in seconds. */
async function busyPhase(stack: LocalStack, connector: ConnectorStandIn, small: CardRef, big: CardRef, into: Samples): Promise<number> {
  const started = performance.now();
  let running = true;
  const done = stack.approvals.idle().then(() => { running = false; });
  while (running) {
    into.refresh.push(await tap(stack.botEndpoint, connector.serviceUrl, small, C, 'refresh'));
    into.duplicate.push(await tap(stack.botEndpoint, connector.serviceUrl, big, C, 'approve'));
  }
  await done;
  return (performance.now() - started) / 1000;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

function row(invoke: string, state: string, values: number[], idle?: number[]): Array<string | number> {
  const s = sorted(values);
  const ratio = idle ? (percentile(s, 99) / percentile(sorted(idle), 99)).toFixed(2) : '';
  return [invoke, state, s.length, ms(percentile(s, 50)), ms(percentile(s, 99)), ms(s.at(-1) ?? Number.NaN), ratio];
}

function converted(stack: LocalStack): number {
  return stack.cloud.devops.state.endpoints().filter((e) => e.authorization?.scheme === 'WorkloadIdentityFederation').length;
}

export async function bench(): Promise<BenchReport> {
  // Teams' rate limits off: this measures the bot's own turn cost, hundreds of turns in one conversation back to back.
  const connector = new ConnectorStandIn({ rateLimits: false });
  await connector.start();
  const { seed } = convertibleSeed(CONNECTIONS);
  const stack = await startLocal({ port: 0, seed, playground: false, logger: createLogger({ level: 'silent' }), readCacheSeconds: 0 });
  try {
    const big = await requestPlan(stack.botEndpoint, connector, A, 'convert all');
    const small = await requestPlan(stack.botEndpoint, connector, A, 'convert sc-convert-000');
    const idle = empty();
    const busy = empty();
    await idlePhase(stack, connector, { small }, IDLE_TAPS, idle);
    stack.devops.faults.setLatency(LATENCY_MS);
    // Over the two-approver threshold: B's approval is recorded, C's starts the execution.
    const first = await tap(stack.botEndpoint, connector.serviceUrl, big, B, 'approve');
    const starting = await tap(stack.botEndpoint, connector.serviceUrl, big, C, 'approve');
    const seconds = await busyPhase(stack, connector, small, big, busy);
    const done = converted(stack);
    stack.devops.faults.setLatency(0);
    await idlePhase(stack, connector, { small, big }, Math.max(IDLE_TAPS, busy.duplicate.length), idle);
    const p99 = percentile(sorted([...busy.refresh, ...busy.duplicate]), 99);
    return {
      title: `Invoke acknowledgement while "convert all" executes ${CONNECTIONS} connections (${LATENCY_MS} ms emulated DevOps latency), beside the idle bot`,
      columns: ['invoke', 'bot', 'taps', 'p50 ms', 'p99 ms', 'max ms', 'p99 busy/idle'],
      rows: [
        row('refresh, pending 1-connection plan', 'idle (before + after)', idle.refresh),
        row('refresh, pending 1-connection plan', `executing ${CONNECTIONS}`, busy.refresh, idle.refresh),
        row(`duplicate approve, the ${CONNECTIONS}-connection plan`, 'idle (plan done)', idle.duplicate),
        row(`duplicate approve, the ${CONNECTIONS}-connection plan`, `executing ${CONNECTIONS}`, busy.duplicate, idle.duplicate),
        ['first approve (1 of 2 needed)', 'idle', 1, ms(first), ms(first), ms(first), ''],
        ['second approve (starts the execution)', 'idle → executing', 1, ms(starting), ms(starting), ms(starting), ''],
      ],
      notes: [
        `target: p99 <= 1000 ms while executing (${p99 <= 1000 ? 'met' : 'MISSED'}: ${ms(p99)} ms over both busy rows).`,
        `The plan ran ${seconds.toFixed(1)} s and converted ${done}/${CONNECTIONS} connections; taps are sequential, one at a time, alternating refresh and duplicate approve.`,
        'Idle rows: the refresh tap before the plan was approved and after it finished; the duplicate approve after it finished (before approval it would count as an approval).',
        `The approval that starts the plan answers before the stale check: that re-read (ceil(${CONNECTIONS}/50) batched list reads at ${LATENCY_MS} ms each) runs in the background right before execution, so the answer does not grow with the plan or DevOps latency.`,
        'Bot, DevOps emulator, Entra/Graph stand-ins and connector stand-in share this process; the read cache is off so every refresh reloads the plan from the store.',
      ],
      json: {
        bench: 'invoke-ack', connections: CONNECTIONS, latencyMs: LATENCY_MS, planSeconds: Number(seconds.toFixed(1)), converted: done,
        busyP99Ms: Number(ms(p99)), targets: { busyP99Ms: 1000 },
        refresh: { idleP99: Number(ms(percentile(sorted(idle.refresh), 99))), busyP99: Number(ms(percentile(sorted(busy.refresh), 99))) },
        duplicateApprove: { idleP99: Number(ms(percentile(sorted(idle.duplicate), 99))), busyP99: Number(ms(percentile(sorted(busy.duplicate), 99))) },
      },
    };
  } finally {
    await stack.approvals.idle();
    await stack.close();
    await connector.close();
  }
}
