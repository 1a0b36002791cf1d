import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { AzureTableStore } from '../../src/store/azure-table-store';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { Store } from '../../src/store/store.port';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { describeInventoryPersistence } from './inventory-store.contract';

let azurite: AzuriteTables;
const dirs: string[] = [];
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// One in-memory store shared by every "instance": what a second process would see of a shared store.
describeInventoryPersistence('EmbeddedStore in memory', async () => {
  const store = new EmbeddedStore();
  return { open: () => store };
});

// A directory, reopened as a restarted bot would (one process per directory: the previous instance is the same store).
describeInventoryPersistence('EmbeddedStore on disk', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'inventory-'));
  dirs.push(dir);
  const store: Store = new EmbeddedStore({ dir });
  return { open: () => store };
});

describeInventoryPersistence('AzureTableStore on Azurite', async () => {
  const table = `t${randomUUID().replace(/-/g, '')}`;
  return { open: () => AzureTableStore.fromConnectionString(azurite.connectionString, table) };
});
