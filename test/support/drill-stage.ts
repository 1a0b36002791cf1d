/**
 * The stage the process drills share (crash-drill.test.ts, drain-drill.test.ts): Azurite and the Bot Connector
 * stand-in once per file, an emulated organization in its own process per describe block, every process stopped at
 * the end, and the per-connection PUT count read from the emulator's request log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ConnectedCloud } from '@scbot/stand-ins';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { endpointId, operationsSeedDocument } from '../e2e/operations-harness';
import { startAzuriteTables, type AzuriteTables } from './azurite';
import { startDrillCloud, type DrillProcess } from './crash-drill';

export interface DrillStage {
  azurite: AzuriteTables;
  connector: ConnectorStandIn;
  processes: DrillProcess[];
}

/** Registers the file's hooks; the fields are there once beforeAll ran. */
export function drillStage(): DrillStage {
  const stage = { processes: [] as DrillProcess[] } as DrillStage;
  beforeAll(async () => {
    stage.azurite = await startAzuriteTables();
    stage.connector = new ConnectorStandIn();
    await stage.connector.start();
  }, 120_000);
  afterAll(async () => {
    for (const p of stage.processes.reverse()) await p.stop();
    await stage.connector?.close();
    await stage.azurite?.stop();
  });
  return stage;
}

export interface DrillCloud {
  cloud: ConnectedCloud;
  dir: string;
  descriptor: string;
}

/** A cloud of its own for the describe block that calls this (`connections` convertible, 40 ms per request). */
export function drillCloud(stage: DrillStage, connections: readonly number[], prefix: string): DrillCloud {
  const w = {} as DrillCloud;
  beforeAll(async () => {
    w.dir = await mkdtemp(path.join(tmpdir(), `scbot-${prefix}-`));
    w.descriptor = path.join(w.dir, 'cloud.json');
    const seed = path.join(w.dir, 'seed.json');
    await writeFile(seed, JSON.stringify(operationsSeedDocument(connections.map((n) => ({ n, name: `sc-${prefix}-${n}` })))));
    const started = await startDrillCloud(w.descriptor, seed, 40);
    stage.processes.push(started);
    w.cloud = started.cloud;
  }, 120_000);
  afterAll(async () => {
    if (w.dir) await rm(w.dir, { recursive: true, force: true });
  });
  return w;
}

/** PUTs each connection received, in `connections` order. */
export async function putsPerConnection(cloud: ConnectedCloud, connections: readonly number[]): Promise<number[]> {
  const requests = await cloud.requests();
  return connections.map((n) => requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase().endsWith(`/endpoints/${endpointId(n)}`)).length);
}
