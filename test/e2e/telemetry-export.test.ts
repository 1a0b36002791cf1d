/**
 * Where telemetry goes, decided by the environment as in production (issue 23 §5): a child process starts it the
 * way bot/main.ts does and records a span and a counter; a collector on loopback records what arrives.
 *  - nothing set: off, nothing sent;
 *  - OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP JSON on /v1/traces and /v1/metrics;
 *  - APPLICATIONINSIGHTS_CONNECTION_STRING: Azure Monitor's track endpoint at the connection string's ingestion URL.
 * Any other host the exporters might reach (Azure Monitor's statistics and settings services) is sent to a closed
 * loopback port through HTTPS_PROXY: this machine reaches no outside address.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

interface Received { path: string; body: string }

const servers: Server[] = [];
/** OTLP over plain HTTP; Azure Monitor's exporter insists on https (a throw-away certificate the child trusts). */
let otlpUrl: string;
let ingestionUrl: string;
let caFile: string;
let dir: string;
const received: Received[] = [];

function record(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    received.push({ path: req.url ?? '', body: (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' });
    // Azure Monitor's answer shape; the OTLP exporters ignore the body of a 200.
    res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
  });
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - 86_400_000), notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'scbot-telemetry-'));
  caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  otlpUrl = `http://127.0.0.1:${await listen(createServer(record))}`;
  ingestionUrl = `https://127.0.0.1:${await listen(createTlsServer({ key: pems.private, cert: pems.cert }, record))}`;
});
afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => { received.length = 0; });

/** Runs test/support/telemetry-child.ts with `env` (and no other telemetry variable); resolves with its stdout. */
function child(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/telemetry-child.ts'], {
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_EXTRA_CA_CERTS: caFile,
        HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    proc.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    proc.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('telemetry destinations from the environment', () => {
  it('is off when neither destination is set: nothing is sent', async () => {
    const run = await child({});
    expect(run.stdout).toContain('telemetry: off');
    expect(received).toEqual([]);
  }, 90_000);

  it('OTEL_EXPORTER_OTLP_ENDPOINT: spans and metrics as OTLP/HTTP JSON', async () => {
    const run = await child({ OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl, OTEL_SERVICE_NAME: 'scbot-test' });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('telemetry: on') });
    const traces = received.filter((r) => r.path === '/v1/traces').map((r) => r.body).join('');
    const metrics = received.filter((r) => r.path === '/v1/metrics').map((r) => r.body).join('');
    expect(traces).toContain('"name":"scbot.plan.run"');
    expect(traces).toContain('P-EXPORT01');
    expect(traces).toContain('scbot-test');
    expect(metrics).toContain('scbot.plans.proposed');
  }, 90_000);

  it('APPLICATIONINSIGHTS_CONNECTION_STRING: spans and metrics to Azure Monitor\'s ingestion endpoint', async () => {
    const run = await child({ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=0f0f0f0f-1111-4222-8333-444444444444;IngestionEndpoint=${ingestionUrl}/` });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('telemetry: on') });
    const tracked = received.filter((r) => r.path.startsWith('/v2.1/track')).map((r) => r.body).join('');
    expect(tracked).toContain('scbot.plan.run');
    expect(tracked).toContain('P-EXPORT01');
    expect(tracked).toContain('scbot.plans.proposed');
    expect(received.filter((r) => !r.path.startsWith('/v2.1/track'))).toEqual([]);
  }, 90_000);
});
