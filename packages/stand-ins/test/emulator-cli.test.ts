import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH } from '../src/index';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let child: ChildProcess | undefined;
/**
 * Node with tsx as a loader, not the tsx CLI: the CLI is a second process that relays signals to the script, and on
 * a loaded machine (a full parallel run) a SIGTERM sent right after start-up ended the relay itself (exit 143).
 */
const TSX = ['--import', 'tsx'];

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited with ${code} before printing`)));
  });
}

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

describe('emulator CLI', () => {
  it('prints the real port for --port 0, serves the seed, and exits cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, [...TSX, 'packages/stand-ins/src/cli.ts', '--port', '0', '--seed', DEMO_SEED_PATH], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    const match = /^emulator listening at http:\/\/127\.0\.0\.1:(\d+)\/contoso$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    const res = await fetch(`${line.replace('emulator listening at ', '')}/_apis/projects`, { headers: { Authorization: 'Bearer x' } });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('fails with a readable message for a bad seed file', async () => {
    child = spawn(process.execPath, [...TSX, 'packages/stand-ins/src/cli.ts', '--port', '0', '--seed', path.join(repoRoot, 'package.json')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child?.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid emulator seed[\s\S]*organization/);
  });
});
