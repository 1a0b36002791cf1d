import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/clock';
import { createLogger } from '../src/logging';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { startBenchApp } from './support/bench-app';
import { startThreadedEmulator } from './support/emulator-thread';
import { percentile, type BenchReport } from './support/report';
import { scanSeed } from './support/scan-seed';
import { turn } from './support/turns';

/**
 * Does the radar starve people? `list in "Scan 0"` turns (one project of 2,000 connections, read uncached through
 * POST /api/messages) while the alerts radar scans 10,000 connections, beside the same turns on the idle bot, in
 * one run: idle, during the scan, idle again. The emulator runs on its own thread with 100 ms latency on every
 * call; the bot composes its ports as production does, so the scanner's reads go in the adapter's background lane
 * (src/devops/call-gate.ts) and the turns' in the interactive one. Target: p99 during the scan <= 2x idle.
 * Reported, never asserted. BENCH_RADAR_CONNECTIONS overrides the count.
 */
const CONNECTIONS = Number(process.env.BENCH_RADAR_CONNECTIONS ?? 10_000);
const LATENCY_MS = 100;
const IDLE_TURNS = 60;
const WARM_UP = 5;
const TEXT = 'list in "Scan 0"';
const TARGET = 2;

const ms = (value: number) => value.toFixed(0);
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

export async function bench(): Promise<BenchReport> {
  const emulator = await startThreadedEmulator(scanSeed(CONNECTIONS, systemClock));
  const connector = new ConnectorStandIn();
  await connector.start();
  const app = await startBenchApp(emulator.orgUrl, createLogger({ level: 'silent' }));
  const measure = async (count: number, into: number[]) => {
    for (let i = 0; i < count; i += 1) {
      into.push(await turn(app.botEndpoint, connector.serviceUrl, TEXT));
      connector.calls.splice(0);
    }
  };
  try {
    await emulator.setLatency(LATENCY_MS);
    await measure(WARM_UP, []);
    const idle: number[] = [];
    await measure(IDLE_TURNS / 2, idle);
    const busy: number[] = [];
    const started = performance.now();
    let scanning = true;
    const scan = app.alerts.runNow().finally(() => { scanning = false; });
    while (scanning) await measure(1, busy);
    const outcome = await scan;
    const scanSeconds = (performance.now() - started) / 1000;
    await measure(IDLE_TURNS / 2, idle);
    const [i, b] = [sorted(idle), sorted(busy)];
    const ratio = { p50: percentile(b, 50) / percentile(i, 50), p99: percentile(b, 99) / percentile(i, 99) };
    const connections = outcome.kind === 'scanned' ? outcome.result.stats.connections : 0;
    const row = (state: string, s: number[], r?: typeof ratio) =>
      [state, s.length, ms(percentile(s, 50)), ms(percentile(s, 99)), ms(s.at(-1) ?? Number.NaN), r ? r.p50.toFixed(2) : '', r ? r.p99.toFixed(2) : ''];
    return {
      title: `Radar contention: "${TEXT}" turns while the radar scans ${CONNECTIONS} connections (${LATENCY_MS} ms emulated latency), beside the idle bot`,
      columns: ['bot', 'turns', 'p50 ms', 'p99 ms', 'max ms', 'p50 scan/idle', 'p99 scan/idle'],
      rows: [row('idle (before + after)', i), row(`scanning ${CONNECTIONS}`, b, ratio)],
      notes: [
        `target: p99 during the scan <= ${TARGET}x idle (${ratio.p99 <= TARGET ? 'met' : 'MISSED'}: ${ratio.p99.toFixed(2)}x).`,
        `The scan (${outcome.kind}, ${connections} connections) ran ${scanSeconds.toFixed(1)} s; turns are sequential, one at a time, uncached (each reads the project's 2,000 connections).`,
        'Scan reads go in the background lane (at most 4 in flight, 80% of a rate budget); turns in the interactive lane, ahead of them.',
      ],
      json: {
        bench: 'radar-contention', connections: CONNECTIONS, latencyMs: LATENCY_MS, scanSeconds: Number(scanSeconds.toFixed(1)),
        idle: { turns: i.length, p50: Number(ms(percentile(i, 50))), p99: Number(ms(percentile(i, 99))) },
        scanning: { turns: b.length, p50: Number(ms(percentile(b, 50))), p99: Number(ms(percentile(b, 99))) },
        ratio: { p50: Number(ratio.p50.toFixed(2)), p99: Number(ratio.p99.toFixed(2)) }, target: { p99Ratio: TARGET },
      },
    };
  } finally {
    await app.close();
    await connector.close();
    await emulator.close();
  }
}
