import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, removeStaleLock, type Holder } from '../../src/store/state-dir-lock';

/**
 * Two processes that start at the same instant over a lock left by a dead one both judge it stale. Whichever
 * takes it over second must not delete the lock the first one has just written.
 */
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function lockWith(holder: Holder): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scbot-lock-'));
  dirs.push(dir);
  const file = path.join(dir, LOCK_FILE);
  await writeFile(file, JSON.stringify(holder));
  return { dir, file };
}

const dead: Holder = { pid: 999_999, host: hostname(), since: '2026-12-01T10:00:00.000Z' };
const fresh: Holder = { pid: process.pid, host: hostname(), since: '2026-12-02T00:00:00.000Z' };

describe('taking over a stale state-dir lock', () => {
  it('removes the lock when it still names the dead holder, and leaves nothing aside', async () => {
    const { dir, file } = await lockWith(dead);
    expect(removeStaleLock(file, dead)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('puts back a lock another process took in the meantime, and says it was not removed', async () => {
    const { dir, file } = await lockWith(fresh);
    expect(removeStaleLock(file, dead)).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(fresh);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it('counts a lock that is already gone as removed (the other process removed the stale one first)', async () => {
    const { file } = await lockWith(dead);
    await rm(file);
    expect(removeStaleLock(file, dead)).toBe(true);
  });
});
