/**
 * AzureDevOpsRoles' own promises, against the Azure DevOps stand-in: the calls one check costs (cold, warm, after
 * the ≤ 60 s cache), that a failed read refuses (unreadable, with its code) and is not remembered, that the bot's
 * token only goes to Azure DevOps' identities host, and what the [infer] about General search means.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '@scbot/stand-ins';
import { AppError } from '../../src/domain/errors';
import { AzureDevOpsRoles, type DevOpsGet } from '../../src/devops/azure-devops-roles';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { RoleTarget } from '../../src/devops/devops-roles.port';

const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const prod: RoleTarget = { scope: 'connection', projectId: PAYMENTS, endpointId: '3bdbd186-d8aa-5806-bc08-7205c5729861' };
const staging: RoleTarget = { scope: 'connection', projectId: PAYMENTS, endpointId: 'df9cec19-9f7d-5d81-8de2-7dcb5c633762' };
const alex = { aadObjectId: '00000000-0000-0000-0000-0000000000020', signInNames: ['alexw@example.com'] };

let emulator: DevOpsEmulator;
let devops: AzureDevOpsServiceEndpoints;

beforeAll(async () => {
  const clock = new ManualClock();
  emulator = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, port: 0 });
  devops = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 't' }, requestTimeoutMs: 5_000, maxAttempts: 1, sleep: async () => undefined });
});
afterAll(async () => emulator.close());

/** Counts (and can fail or rewrite) the adapter's calls, passing the rest to the real REST client. */
function counting(options: { fail?: RegExp; area?: unknown } = {}): DevOpsGet & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async rest<T>(operation: string, method: 'GET', path: string): Promise<T | null> {
      paths.push(path);
      if (options.fail?.test(path)) throw new AppError('DEVOPS.THROTTLED', 'throttled', { status: 429 });
      if (options.area !== undefined && path.includes('resourceAreas')) return options.area as T;
      return devops.rest<T>(operation, method, path);
    },
  };
}

describe('AzureDevOpsRoles', () => {
  it('costs 4 calls cold (area, person, roles, group ids), none warm, 2 again after the cache (ids kept longer)', async () => {
    const clock = new ManualClock();
    const get = counting();
    const roles = new AzureDevOpsRoles(get, { orgUrl: emulator.orgUrl, clock, ttlMs: 600_000 });
    expect((await roles.holding(alex, prod)).kind).toBe('held');
    expect(get.paths.map((p) => /resourceAreas|identities\?searchFilter|securityroles|identityIds/.exec(p)?.[0])).toEqual(['resourceAreas', 'identities?searchFilter', 'securityroles', 'identityIds']);
    await roles.holding(alex, prod);
    expect(get.paths).toHaveLength(4);
    clock.advance(61_000);
    await roles.holding(alex, prod);
    expect(get.paths).toHaveLength(6);
    await roles.holding(alex, staging);
    expect(get.paths).toHaveLength(7);
  });

  it('a read that fails answers unreadable with its code, and is asked again next time', async () => {
    const get = counting({ fail: /securityroles/ });
    const roles = new AzureDevOpsRoles(get, { orgUrl: emulator.orgUrl, clock: new ManualClock() });
    expect(await roles.holding(alex, prod)).toEqual({ kind: 'unreadable', code: 'DEVOPS.THROTTLED' });
    await roles.holding(alex, prod);
    expect(get.paths.filter((p) => p.includes('securityroles'))).toHaveLength(2);
  });

  it('never sends the token to a host that is not Azure DevOps\' identities service', async () => {
    for (const locationUrl of ['https://evil.example/contoso/', 'http://vssps.dev.azure.com/contoso/', 'not a url', undefined]) {
      const get = counting({ area: { locationUrl } });
      const roles = new AzureDevOpsRoles(get, { orgUrl: emulator.orgUrl, clock: new ManualClock() });
      expect(await roles.holding(alex, prod)).toEqual({ kind: 'unreadable', code: 'DEVOPS.UNAVAILABLE' });
      expect(get.paths.filter((p) => p.includes('identities'))).toEqual([]);
    }
  });

  it('[infer] without a sign-in name the object id alone finds nobody (General search matches sign-in names): refused', async () => {
    const get = counting();
    const roles = new AzureDevOpsRoles(get, { orgUrl: emulator.orgUrl, clock: new ManualClock() });
    expect(await roles.holding({ aadObjectId: alex.aadObjectId }, prod)).toEqual({ kind: 'no-identity' });
  });

  it('a sign-in name that belongs to someone else never resolves to them: the object id must match', async () => {
    const roles = new AzureDevOpsRoles(counting(), { orgUrl: emulator.orgUrl, clock: new ManualClock() });
    const impostor = { aadObjectId: '0badc0de-0000-4000-8000-000000000000', signInNames: ['alexw@example.com', 'dana@contoso.example'] };
    expect(await roles.holding(impostor, prod)).toEqual({ kind: 'no-identity' });
  });
});
