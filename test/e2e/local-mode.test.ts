import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { isFailed, nameInProject, type ServiceEndpoint } from '../../src/domain/endpoint';
import { DEMO_SEED_PATH, loadSeed, type Seed } from '@scbot/stand-ins';
import { createLogger } from '../../src/logging';
import { personalMessage, postActivity } from '../support/activities';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { freePort } from '../support/free-port';

/**
 * `npm start`'s stack in-process (without the playground): a Teams message in, a card out, built from
 * emulator data that the real azure-devops-node-api fetched with a token the real @azure/identity obtained
 * from the Entra stand-in.
 */
const TSX = path.resolve('node_modules', '.bin', 'tsx');
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

const displayName = (e: ServiceEndpoint) => nameInProject(e, e.serviceEndpointProjectReferences?.[0]?.projectReference.id ?? '');

interface Attachment {
  contentType?: string;
  content?: unknown;
}

describe('local mode in-process', () => {
  let stack: LocalStack;
  let connector: ConnectorStandIn;
  let seed: Seed;

  beforeAll(async () => {
    seed = await loadSeed(DEMO_SEED_PATH);
    connector = new ConnectorStandIn();
    await connector.start();
    stack = await startLocal({ port: 0, playground: false, logger: createLogger({ level: 'silent' }) });
  });

  afterAll(async () => {
    await stack?.close();
    await connector?.close();
  });

  it('answers "list failed" with the seed\'s failed connections, read with a verified Entra token', async () => {
    const activity = personalMessage('list failed', { serviceUrl: connector.serviceUrl });
    const response = await postActivity(stack.botUrl, activity);
    expect(response.status).toBe(200);

    const [reply] = await connector.nextReplies(activity.conversation.id);
    const cards = ((reply?.body.attachments ?? []) as Attachment[]).filter((a) => a.contentType === ADAPTIVE_CARD);
    expect(cards).toHaveLength(1);
    const cardText = JSON.stringify(cards[0]?.content);
    const failed = seed.endpoints.filter(isFailed);
    expect(failed.length).toBeGreaterThan(0);
    // Whole names only: "sc-prod" must not match inside "sc-prod-eu" (names use dashes and spaces).
    const wholeName = (name: string) => new RegExp(`(?<![\\w-])${JSON.stringify(name).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'u');
    for (const endpoint of failed) expect(cardText).toMatch(wholeName(displayName(endpoint)));
    for (const endpoint of seed.endpoints.filter((e) => !isFailed(e))) expect(cardText).not.toMatch(wholeName(displayName(endpoint)));

    // The emulator only answered requests whose bearer token the Entra stand-in signed for our local identity.
    expect(stack.devops.requests.entries().length).toBeGreaterThan(0);
    expect(stack.authorizations.length).toBeGreaterThan(0);
    expect(stack.authorizations.every((c) => c.accepted && c.appId === stack.localIdentity.clientId)).toBe(true);
    expect(stack.entra.tokenRequests.length).toBeGreaterThan(0);
  });

  it('has the emulator refuse a request without a token the Entra stand-in issued', async () => {
    const url = `${stack.devops.orgUrl}/_apis/projects?api-version=7.1`;
    expect((await fetch(url)).status).toBe(401);
    // Like the service, a rejected credential gets 401 only with FedAuthRedirect suppressed (else a 203 sign-in page).
    const rejected = await fetch(url, { headers: { authorization: 'Bearer not-a-real-token', 'X-TFS-FedAuthRedirect': 'Suppress' } });
    expect(rejected.status).toBe(401);
    expect(stack.authorizations.at(-1)).toEqual({ accepted: false });
  });
});

async function writeOneConnectionSeed(name: string): Promise<string> {
  const project = { id: randomUUID(), name: 'Custom' };
  const seed = {
    organization: 'custom', projects: [project],
    endpoints: [{
      id: randomUUID(), name, type: 'generic', url: 'https://example.invalid', authorization: { scheme: 'UsernamePassword', parameters: { username: 'u', password: null } },
      isReady: true, serviceEndpointProjectReferences: [{ projectReference: { id: project.id, name: project.name }, name }],
    }],
  };
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'scbot-seed-')), 'seed.json');
  await writeFile(file, JSON.stringify(seed));
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bot/main.ts as `npm start` would, with exactly the given environment (no inherited configuration). */
function runMain(env: Record<string, string>, until?: (stdout: string) => boolean, args: string[] = []): { done: Promise<Run>; stop(): void; ready: Promise<void> } {
  const child = spawn(TSX, ['bot/main.ts', '--no-playground', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (until?.(stdout)) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { done, ready, stop: () => child.kill('SIGTERM') };
}

// Each test starts the real `npm start` process: tsx compiles the whole app first, which under a full parallel run
// on two cores can take a good part of a minute, hence the generous timeouts.
describe('bot/main.ts (npm start)', () => {
  const SECRET = 'partial-config-secret-value-123';

  it('exits 1 on a partial real configuration, naming what is missing, without a stack or the secret', async () => {
    const run = await runMain({ MicrosoftAppPassword: SECRET, LOG_LEVEL: 'silent' }).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MicrosoftAppId');
    expect(run.stderr).toContain('AZURE_DEVOPS_ORG_URL');
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
  }, 90_000);

  it.each([
    ['an unreadable seed file', ['--seed', 'no/such/seed.json'], /no\/such\/seed\.json/],
    ['an unknown flag', ['--sede', 'x.json'], /--sede/],
  ])('exits 1 on %s with a readable message', async (_name, args, message) => {
    const run = await runMain({ LOG_LEVEL: 'silent' }, undefined, args).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }, 90_000);

  it('starts local mode on --seed <file> with a banner, answers from that seed, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const seedFile = await writeOneConnectionSeed('sc-from-custom-seed');
    const connector = new ConnectorStandIn();
    await connector.start();
    const main = runMain({ PORT: String(port), LOG_LEVEL: 'silent' }, (out) => out.includes('LOCAL MODE'), ['--seed', seedFile]);
    try {
      await Promise.race([main.ready, main.done.then((r) => { throw new Error(`main exited early: ${r.stderr}`); })]);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const activity = personalMessage('list', { serviceUrl: connector.serviceUrl });
      expect((await postActivity(`http://127.0.0.1:${port}`, activity)).status).toBe(200);
      const [reply] = await connector.nextReplies(activity.conversation.id);
      expect(JSON.stringify(reply?.body)).toContain('sc-from-custom-seed');
    } finally {
      main.stop();
      await connector.close();
      await rm(path.dirname(seedFile), { recursive: true, force: true });
    }
    const run = await main.done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`http://127.0.0.1:${port}/api/messages`);
    // --no-playground says how to reach the bot; Node prints no warning at start (restify 12 dropped spdy's DEP0111).
    expect(run.stdout).toContain(`npx agentsplayground -e http://127.0.0.1:${port}/api/messages -c msteams`);
    expect(run.stderr).not.toMatch(/Warning/);
  }, 90_000);

  it('starts in Azure mode with inbound Bot Framework authentication on (no token: 401)', async () => {
    const port = await freePort();
    const main = runMain({
      PORT: String(port), LOG_LEVEL: 'info',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: SECRET, MicrosoftAppTenantId: 'contoso-tenant',
      AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso', AZURE_DEVOPS_CREDENTIAL: 'client-secret',
      AZURE_TENANT_ID: 'contoso-tenant', AZURE_CLIENT_ID: 'client-id', AZURE_CLIENT_SECRET: SECRET,
    }, (out) => out.includes('"inboundAuth":true'));
    await Promise.race([main.ready, main.done.then((r) => { throw new Error(`main exited early: ${r.stderr}`); })]);
    const response = await postActivity(`http://127.0.0.1:${port}`, personalMessage('list', { serviceUrl: 'http://127.0.0.1:9/' }));
    expect(response.status).toBe(401);
    main.stop();
    const run = await main.done;
    expect(run.code).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
  }, 90_000);
});

describe('the playground\'s loopback preload', () => {
  const preload = new URL('../../bot/loopback-preload.mjs', import.meta.url).href;

  it.each([
    ['listen(port)', 'listen(0, done)'],
    ['listen(port, all interfaces)', "listen(0, '0.0.0.0', done)"],
    ['listen({ port })', 'listen({ port: 0 }, done)'],
    ['listen({ port, host: ::})', "listen({ port: 0, host: '::' }, done)"],
  ])('forces %s onto 127.0.0.1', async (_name, call) => {
    const script = `const s = require('node:net').createServer(); const done = () => { console.log(s.address().address); s.close(); }; s.${call};`;
    const child = spawn(process.execPath, ['--import', preload, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out.trim()).toBe('127.0.0.1');
  });
});

