import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { describeStoreContract } from './store.contract';

describeStoreContract('EmbeddedStore in memory', async () => ({ store: new EmbeddedStore() }));

describeStoreContract('EmbeddedStore on disk', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'scbot-store-'));
  return {
    store: new EmbeddedStore({ dir }),
    reopen: async () => new EmbeddedStore({ dir }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('EmbeddedStore on disk (implementation details)', () => {
  it('leaves no temp files behind after writes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scbot-store-'));
    try {
      const store = new EmbeddedStore({ dir });
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('c', `k${i}`, i)));
      const files = await readdir(path.join(dir, 'c'));
      expect(files).toHaveLength(20);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
