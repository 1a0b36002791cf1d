import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { VersionConflictError } from '../../src/store/store.port';
import { freePort } from '../support/free-port';

/**
 * Two processes on one SCBOT_STATE_DIR executed a plan twice: the embedded store is single-writer. A second
 * process refuses to open the directory, naming the holder; a holder killed with -9 leaves a lock the next
 * start takes over; compare-and-swap is checked against the file on disk, not a cached copy.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scbot-single-'));
  dirs.push(dir);
  return dir;
}

interface Run { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> }

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function holder(dir: string): Promise<Run> {
  const first = run(['test/support/hold-embedded-store.ts', dir]);
  await expect.poll(first.out, { timeout: 20_000 }).toContain('ready');
  return first;
}

describe('the embedded store is single-writer', () => {
  it('refuses a second process on the same directory, naming the holder', async () => {
    const dir = await stateDir();
    const first = await holder(dir);
    const second = run(['test/support/hold-embedded-store.ts', dir]);
    expect(await second.exited).toBe(2);
    expect(second.out()).not.toContain('ready');
    expect(second.err()).toContain(`in use by process ${first.child.pid} on ${hostname()} since 20`);
    expect(second.err()).not.toMatch(/\n\s+at /);
  }, 40_000);

  it('takes over the lock of a holder killed with -9', async () => {
    const dir = await stateDir();
    const first = await holder(dir);
    first.child.kill('SIGKILL');
    await first.exited;
    const next = await holder(dir);
    expect(next.err()).toBe('');
  }, 40_000);

  it('npm start says why it did not start, without a stack trace', async () => {
    const dir = await stateDir();
    const first = await holder(dir);
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, SCBOT_STATE_DIR: dir, PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    const bot = run(['bot/main.ts', '--no-playground'], env);
    expect(await bot.exited).toBe(1);
    expect(bot.err()).toContain('scbot did not start.');
    expect(bot.err()).toContain(`in use by process ${first.child.pid}`);
    expect(`${bot.out()}${bot.err()}`).not.toMatch(/\n\s+at |"stack"/);
  }, 60_000);
});

describe('compare-and-swap against the disk', () => {
  it('refuses a stale version after the record changed on disk', async () => {
    const dir = await stateDir();
    const store = new EmbeddedStore({ dir });
    try {
      const first = await store.put('plans', 'p1', { state: 'proposed' });
      await expect(store.get('plans', 'p1')).resolves.toMatchObject({ version: first.version });
      // Another writer (the process the lock now keeps out) changed the record behind this instance's back.
      const [file] = await readdir(path.join(dir, 'plans'));
      await writeFile(path.join(dir, 'plans', file as string), JSON.stringify({ value: { state: 'executed' }, version: 'other-1' }));
      await expect(store.put('plans', 'p1', { state: 'approved' }, first.version)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.get('plans', 'p1')).toEqual({ value: { state: 'executed' }, version: 'other-1' });
    } finally {
      store.close();
    }
  });
});
