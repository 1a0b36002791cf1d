import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/clock';
import { createLogger } from '../src/logging';
import { startLocal, type LocalStack } from '../bot/local-mode';
import { AZURE_DEVOPS_SCOPE, createCredential } from '../src/identity/index';
import { ConnectorStandIn } from '../test/support/connector-stand-in';
import { startEchoBot } from './echo-bot';
import { generatedSeed } from './support/generated-seed';
import { percentile, type BenchReport } from './support/report';

/**
 * Turn latency of `list` over 200 connections through POST /api/messages, beside a bare botbuilder echo bot
 * on the same HTTP path and the same connector stand-in, in the same run (so machine noise hits both).
 * The DevOps emulator adds no latency: the difference is what scbot itself costs per turn.
 * Targets: p99 <= 50 ms and scbot/echo ratio <= 1.5 (reported, never asserted).
 */
const CONNECTIONS = 200;
const WARM_UP = 50;
const TURNS = 500;

function messageActivity(serviceUrl: string, text: string): Record<string, unknown> {
  return {
    type: 'message', id: randomUUID(), timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl, text,
    from: { id: 'bench-user', name: 'Bench User', aadObjectId: 'bench-user-oid' },
    recipient: { id: 'scbot', name: 'scbot' },
    conversation: { id: 'bench-conversation', conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } }, locale: 'en-US',
  };
}

async function turn(endpoint: string, serviceUrl: string, text: string): Promise<number> {
  const body = JSON.stringify(messageActivity(serviceUrl, text));
  const started = performance.now();
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status >= 300) throw new Error(`turn failed: HTTP ${response.status} from ${endpoint}`);
  return elapsed;
}

async function measure(endpoint: string, connector: ConnectorStandIn, text: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP + TURNS; i += 1) {
    const elapsed = await turn(endpoint, connector.serviceUrl, text);
    if (i >= WARM_UP) samples.push(elapsed);
    // The stand-in records every reply; 1,000 cards of 200 rows would otherwise pile up in memory.
    connector.calls.splice(0);
  }
  return samples.sort((a, b) => a - b);
}

/**
 * The emulator alone: the same GET the adapter makes for `list`, with a token of a second local identity.
 * The emulator runs in-process and is not free (JSON views of 200 connections), so this row says how much of
 * scbot's turn is the stand-in rather than scbot.
 */
async function measureEmulatorList(stack: LocalStack, project: string): Promise<number[]> {
  const clientId = randomUUID();
  const clientSecret = randomUUID();
  stack.entra.registry.registerApplication({ appId: clientId, displayName: 'bench', passwordCredentials: [{ secretText: clientSecret }] });
  const credential = createCredential(
    { kind: 'client-secret', tenantId: stack.entra.tenantId, clientId, clientSecret, authorityHost: stack.entra.authorityHost },
    { trust: { caCertificatePem: stack.entra.caCertificatePem } },
  );
  const token = (await credential.getToken(AZURE_DEVOPS_SCOPE))?.token ?? '';
  const url = `${stack.devops.orgUrl}/${encodeURIComponent(project)}/_apis/serviceendpoint/endpoints?includeFailed=true&api-version=7.1`;
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP + TURNS; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (i >= WARM_UP) samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

const ms = (value: number) => value.toFixed(2);

export async function bench(): Promise<BenchReport> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const seed = generatedSeed(CONNECTIONS, systemClock);
  const stack = await startLocal({ port: 0, seed, playground: false, logger: createLogger({ level: 'silent' }) });
  const echo = await startEchoBot();
  try {
    const before = stack.devops.requests.entries().length;
    const scbot = await measure(stack.botEndpoint, connector, 'list');
    const perTurn = (stack.devops.requests.entries().length - before) / (WARM_UP + TURNS);
    const baseline = await measure(`${echo.url}/api/messages`, connector, 'list');
    const emulator = await measureEmulatorList(stack, seed.projects[0]?.name ?? '');
    const [p50, p99, e50, e99] = [percentile(scbot, 50), percentile(scbot, 99), percentile(baseline, 50), percentile(baseline, 99)];
    return {
      title: `Turn latency: "list" over ${CONNECTIONS} connections (${TURNS} sequential turns after ${WARM_UP} warm-up)`,
      columns: ['bot', 'p50 ms', 'p99 ms', 'max ms'],
      rows: [
        ['scbot', ms(p50), ms(p99), ms(scbot.at(-1) ?? Number.NaN)],
        ['botbuilder echo', ms(e50), ms(e99), ms(baseline.at(-1) ?? Number.NaN)],
        ['ratio scbot/echo', (p50 / e50).toFixed(2), (p99 / e99).toFixed(2), ''],
        ['(emulator GET list alone)', ms(percentile(emulator, 50)), ms(percentile(emulator, 99)), ms(emulator.at(-1) ?? Number.NaN)],
      ],
      notes: [
        `targets: scbot p99 <= 50 ms (${p99 <= 50 ? 'met' : 'MISSED'}), p50 ratio <= 1.5 (${p50 / e50 <= 1.5 ? 'met' : 'MISSED'})`,
        `scbot made ${perTurn.toFixed(1)} Azure DevOps emulator requests per turn; the emulator and Entra stand-in run`,
        'in this process, so their CPU (JSON views, JWT checks) is inside scbot\'s numbers. Loopback; both bots reply',
        'through the same connector stand-in.',
      ],
    };
  } finally {
    await Promise.allSettled([echo.close(), stack.close(), connector.close()]);
  }
}
