import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalCloud, type ConnectedCloud } from '@scbot/stand-ins';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity } from '../support/activities';
import { freePort } from '../support/free-port';

/**
 * The crash drill's shape (issue 10): `npm run cloud` keeps the emulated organization in its own process while
 * `npm start -- --cloud <descriptor>` is killed (-9) and started again; both bot runs answer from the same cloud,
 * and the cloud's request log, read over HTTP, holds what both asked.
 */
/** One process (node with tsx's loader), not the tsx CLI, whose child would outlive a kill -9 of the wrapper. */
const NODE_TSX = [process.execPath, ['--import', 'tsx']] as const;
let cloudProcess: ChildProcess | undefined;
let dir = '';
let descriptor = '';
let cloud: ConnectedCloud;
let connector: ConnectorStandIn;

function waitForLine(child: ChildProcess, wanted: (line: string) => boolean, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => { if (wanted(line)) { lines.close(); resolve(); } });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready: ${stderr}`)));
  });
}

function startBot(port: number): ChildProcess {
  return spawn(NODE_TSX[0], [...NODE_TSX[1], 'bot/main.ts', '--no-playground', '--cloud', descriptor], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function ask(port: number, text: string): Promise<string> {
  const activity = personalMessage(text, { serviceUrl: connector.serviceUrl });
  expect((await postActivity(`http://127.0.0.1:${port}`, activity)).status).toBe(200);
  const [reply] = await connector.nextReplies(activity.conversation.id);
  return JSON.stringify(reply?.body);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scbot-cloud-drill-'));
  descriptor = path.join(dir, 'cloud.json');
  cloudProcess = spawn('npm', ['run', '--silent', 'cloud', '--', '--descriptor', descriptor], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await waitForLine(cloudProcess, (line) => line === 'local cloud ready', 'npm run cloud');
  cloud = await connectLocalCloud(descriptor);
  connector = new ConnectorStandIn();
  await connector.start();
}, 90_000);

afterAll(async () => {
  await connector?.close();
  if (cloudProcess?.pid && cloudProcess.exitCode === null) {
    const exited = new Promise((resolve) => cloudProcess?.once('exit', resolve));
    process.kill(-cloudProcess.pid, 'SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('npm start -- --cloud <descriptor>', () => {
  it('answers from the running cloud, survives kill -9 of the bot, and the cloud keeps what both runs asked', async () => {
    const endpointLists = async () => (await cloud.requests()).filter((r) => r.method === 'GET' && /\/_apis\/serviceendpoint\/endpoints$/i.test(r.path)).length;
    const firstPort = await freePort();
    const first = startBot(firstPort);
    await waitForLine(first, (line) => line.includes('LOCAL MODE'), 'first bot');
    expect(await ask(firstPort, 'list')).toContain('sc-prod');
    const afterFirst = await endpointLists();
    expect(afterFirst).toBeGreaterThan(0);
    const killed = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await killed;
    await expect(fetch(`http://127.0.0.1:${firstPort}/healthz`)).rejects.toThrow();

    const secondPort = await freePort();
    const second = startBot(secondPort);
    try {
      await waitForLine(second, (line) => line.includes('LOCAL MODE'), 'second bot');
      expect(await ask(secondPort, 'list')).toContain('sc-prod');
      expect(await endpointLists()).toBeGreaterThan(afterFirst);
    } finally {
      const stopped = new Promise<number | null>((resolve) => second.once('exit', resolve));
      second.kill('SIGTERM');
      expect(await stopped).toBe(0);
    }
    // The cloud outlived both bots.
    expect(await cloud.requests()).not.toHaveLength(0);
  }, 180_000);

  it('refuses --seed together with --cloud, readably', async () => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX[1], 'bot/main.ts', '--no-playground', '--cloud', descriptor, '--seed', 'x.json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/--seed and --cloud exclude each other/);
  }, 90_000);
});
