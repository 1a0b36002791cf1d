import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATIC_ONLY_DATA_KEYS, readKey } from '../../src/domain/endpoint';
import { planRotate, type RotateSource } from '../../src/operations/rotate/rotate.planner';

import { appIdOf, callsFor, endpointId, PROJECT, seedSecretOf, startHarness, VAULT, type Harness } from './operations-harness';
import { worded } from '../support/worded';

const AUTO = 1;
const VAULTED = 2;
const FOREIGN = 3;
const HOUR = 3_600_000;

let h: Harness;
const reports: Array<ReturnType<typeof worded>> = [];

beforeAll(async () => {
  h = await startHarness([
    { n: AUTO, name: 'sc-prod' },
    { n: VAULTED, name: 'sc-vaulted', mode: 'Manual', vaultSecret: true },
    { n: FOREIGN, name: 'sc-foreign', mode: 'Manual', foreign: true },
  ]);
});
afterAll(async () => h?.close());

async function rotate(n: number, planId: string, source: RotateSource = { kind: 'graph' }): Promise<ReturnType<typeof worded>> {
  const endpoint = await h.devops.get(PROJECT.name, endpointId(n));
  if (!endpoint) throw new Error('connection missing');
  const plan = await h.save(planRotate({ id: planId, command: `rotate ${endpoint.name}`, now: h.clock.now(), target: { endpoint, project: PROJECT, history: [] }, source, lifetimeDays: 90, retireAfterHours: 24 }));
  h.cloud.devops.requests.clear(); // count only what the execution sends
  const report = worded(await h.executor().run(plan), `rotate ${endpoint.name}`);
  reports.push(report);
  return report;
}

/** The secret the DevOps stand-in now holds for the connection (tests may look; the bot never can). */
const heldSecret = (n: number) => readKey(h.cloud.devops.state.live(endpointId(n))?.authorization?.parameters ?? undefined, 'serviceprincipalkey') ?? '';
const keyIds = async (n: number) => (await h.graph.listPasswords(appIdOf(n))).map((p) => p.keyId);

describe('rotate against the local cloud', () => {
  const secretsSeen: string[] = [];

  it('rotates an Automatic connection exactly as seed 000 describes, with one list read and a PUT whose answer confirms', async () => {
    const report = await rotate(AUTO, 'rotate-1');
    expect(report.items).toEqual([{ endpointId: endpointId(AUTO), name: 'sc-prod', status: 'done' }]);
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(AUTO))).toEqual(['LIST', 'PUT']);
    const stored = h.cloud.devops.state.live(endpointId(AUTO));
    expect(stored?.data?.creationMode).toBe('Manual');
    for (const key of AUTOMATIC_ONLY_DATA_KEYS) expect(stored?.data ?? {}).not.toHaveProperty(key);
    expect(stored?.authorization?.parameters).toMatchObject({ authenticationType: 'spnKey' });
    expect(stored?.isReady).toBe(true);
    const newSecret = heldSecret(AUTO);
    secretsSeen.push(newSecret);
    expect(newSecret).not.toBe(seedSecretOf(AUTO));
    expect(await h.verifier.verify(h.cloud.bot.tenantId, appIdOf(AUTO), newSecret)).toBe(true);
    expect(await keyIds(AUTO)).toHaveLength(2);
  });

  it('a second rotation schedules the first bot-made secret; after the grace period it is retired, the person-made one never', async () => {
    const firstSecret = heldSecret(AUTO);
    const report = await rotate(AUTO, 'rotate-2');
    expect(report.items[0]).toMatchObject({ status: 'done', reason: expect.stringContaining('retires at') });
    secretsSeen.push(heldSecret(AUTO));
    expect(await keyIds(AUTO)).toHaveLength(3);
    h.clock.advance(24 * HOUR - 1);
    expect(await h.ledger.retireDueSecrets(h.graph)).toEqual([]);
    h.clock.advance(1);
    const retired = await h.ledger.retireDueSecrets(h.graph);
    expect(retired).toHaveLength(1);
    expect(await keyIds(AUTO)).toHaveLength(2);
    expect(await keyIds(AUTO)).not.toContain(retired[0]?.keyId);
    expect(await h.verifier.verify(h.cloud.bot.tenantId, appIdOf(AUTO), firstSecret)).toBe(false);
    expect(await h.verifier.verify(h.cloud.bot.tenantId, appIdOf(AUTO), heldSecret(AUTO))).toBe(true);
    expect(await h.verifier.verify(h.cloud.bot.tenantId, appIdOf(AUTO), seedSecretOf(AUTO))).toBe(true);
    h.clock.advance(1000 * HOUR);
    expect(await h.ledger.retireDueSecrets(h.graph)).toEqual([]);
  });

  it('rotates from Key Vault: the vault\'s current value is what the connection holds; no app secret is created', async () => {
    const before = await keyIds(VAULTED);
    const report = await rotate(VAULTED, 'rotate-vault', { kind: 'keyvault', vault: VAULT.name, secretName: VAULT.secret });
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(heldSecret(VAULTED)).toBe(VAULT.value);
    expect(await keyIds(VAULTED)).toEqual(before);
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(VAULTED))).toEqual(['LIST', 'PUT']);
  });

  it('an app the bot does not own: GRAPH.FORBIDDEN, the connection untouched', async () => {
    const report = await rotate(FOREIGN, 'rotate-foreign');
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'GRAPH.FORBIDDEN' });
    expect(report.items[0]?.reason).toContain('does not own that app registration');
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(FOREIGN))).toEqual(['LIST']);
    expect(heldSecret(FOREIGN)).toBe(seedSecretOf(FOREIGN));
  });

  it('canary: no secret value in any run report, stored record or log line', async () => {
    const files = await readdir(h.storeDir, { recursive: true });
    const stored = await Promise.all(files.filter((f) => f.endsWith('.json')).map((f) => readFile(path.join(h.storeDir, f), 'utf8')));
    const haystack = [JSON.stringify(reports), ...stored, ...h.logLines].join('\n');
    expect(stored.length).toBeGreaterThan(3);
    for (const secret of [...secretsSeen, VAULT.value, seedSecretOf(AUTO), seedSecretOf(VAULTED), seedSecretOf(FOREIGN)]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(haystack).not.toContain(secret);
    }
  });
});
