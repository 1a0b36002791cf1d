import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { CachingServiceEndpoints } from '../../src/devops/caching-service-endpoints';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { InventoryFeed } from '../../src/inventory/inventory-feed';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { systemClock } from '../../src/domain/time';
import { AUTOMATIC_ONLY_DATA_KEYS } from '../../src/domain/endpoint';
import { parseSeed, startDevOpsEmulator, type DevOpsEmulator } from '@scbot/stand-ins';
import { ALPHA, contractFixture, describeServiceEndpointsContract, IDS, type ContractFixture } from './service-endpoints.contract';

const staticTokens = { getToken: async () => 'contract-static-token' };
const noSleep = async () => undefined;

/** The fixture as the emulator's seed: history in the REST shape ({endpointId, data:{…}}). */
function seedOf(fixture: ContractFixture) {
  const executionHistory = Object.fromEntries(Object.entries(fixture.history).map(([id, records]) => [id, records.map((r) => ({
    endpointId: r.endpointId,
    data: {
      id: r.id, planType: r.planType, result: r.result, startTime: r.startTime, finishTime: r.finishTime,
      definition: { id: 7, name: r.definitionName }, owner: { id: r.id, name: r.ownerName },
    },
  }))]));
  return parseSeed({ organization: 'contoso', projects: fixture.projects, endpoints: fixture.endpoints, executionHistory });
}

async function startEmulatorAdapter(fixture: ContractFixture): Promise<{ emulator: DevOpsEmulator; adapter: AzureDevOpsServiceEndpoints }> {
  const emulator = await startDevOpsEmulator({ seed: seedOf(fixture), port: 0 });
  const adapter = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: staticTokens, requestTimeoutMs: 5_000, maxAttempts: 3, sleep: noSleep });
  return { emulator, adapter };
}

describeServiceEndpointsContract('InMemoryServiceEndpoints', async (fixture) => ({
  subject: new InMemoryServiceEndpoints(fixture.projects, fixture.endpoints, fixture.history),
}));

// The read cache must be invisible to the contract: writes through it empty it, reads after them are fresh.
describeServiceEndpointsContract('CachingServiceEndpoints → InMemoryServiceEndpoints', async (fixture) => ({
  subject: new CachingServiceEndpoints(new InMemoryServiceEndpoints(fixture.projects, fixture.endpoints, fixture.history), systemClock, 60_000),
}));

// Feeding the inventory must be invisible to the contract too: every call passes through, answers unchanged.
describeServiceEndpointsContract('InventoryFeed → InMemoryServiceEndpoints', async (fixture) => {
  const inventory = new ConnectionInventory({ store: new EmbeddedStore(), clock: systemClock, logger: createLogger({ level: 'silent' }), maxConnections: 10_000 });
  return { subject: new InventoryFeed(new InMemoryServiceEndpoints(fixture.projects, fixture.endpoints, fixture.history), inventory, systemClock) };
});

describeServiceEndpointsContract('AzureDevOpsServiceEndpoints → emulator', async (fixture) => {
  const { emulator, adapter } = await startEmulatorAdapter(fixture);
  return { subject: adapter, close: () => emulator.close() };
});

describe('AzureDevOpsServiceEndpoints → emulator only (service rules the fake does not model)', () => {
  let emulator: DevOpsEmulator;
  let adapter: AzureDevOpsServiceEndpoints;

  beforeEach(async () => {
    ({ emulator, adapter } = await startEmulatorAdapter(contractFixture()));
  });
  afterEach(() => emulator.close());

  it('emulator rule: flipping an Automatic connection to Manual drops the automatic-only data keys', async () => {
    const prod = await adapter.get(ALPHA.name, IDS.prod);
    if (!prod?.authorization) throw new Error('fixture connection missing');
    const manual = {
      ...prod,
      data: { ...prod.data, creationMode: 'Manual' },
      authorization: { ...prod.authorization, parameters: { ...prod.authorization.parameters, serviceprincipalkey: 'rotated-secret-value-123' } },
    };
    const updated = await adapter.update(manual);
    const reread = await adapter.get(ALPHA.name, IDS.prod);
    for (const result of [updated, reread]) {
      expect(result?.data?.creationMode).toBe('Manual');
      for (const key of AUTOMATIC_ONLY_DATA_KEYS) expect(result?.data ?? {}).not.toHaveProperty(key);
      expect(JSON.stringify(result)).not.toContain('rotated-secret-value-123');
    }
  });

  it('list makes the discovery calls once, then exactly one GET per call', async () => {
    await adapter.list(ALPHA.name);
    await adapter.list(ALPHA.name, { type: 'azurerm' });
    expect(emulator.requests.entries().map((r) => `${r.method} ${r.path}`)).toEqual([
      'OPTIONS /contoso/_apis/Location',
      'GET /contoso/_apis/ResourceAreas',
      'OPTIONS /contoso/_apis/serviceendpoint',
      'GET /contoso/Alpha/_apis/serviceendpoint/endpoints',
      'GET /contoso/Alpha/_apis/serviceendpoint/endpoints',
    ]);
  });

  it('gives DEVOPS.THROTTLED with the wait when the emulator keeps refusing, and exposes its rate-limit headers', async () => {
    await adapter.list(ALPHA.name);
    // No budget at all: the adapter's own pacing cannot help, every attempt is refused.
    emulator.faults.setRateLimit({ limit: 0, windowMs: 60_000, retryAfterSeconds: 2 });
    await expect(adapter.list(ALPHA.name)).rejects.toMatchObject({ code: 'DEVOPS.THROTTLED', status: 429, retryAfterMs: 2_000 });
    expect(adapter.rateLimit()).toMatchObject({ status: 429, retryAfterMs: 2_000, remaining: 0 });
  });

  it('uses a refreshed token on the next call without new discovery, and maps a refused token to DEVOPS.UNAUTHORIZED', async () => {
    let accepted = 'token-one';
    const tokens = { current: 'token-one', getToken: async () => tokens.current };
    const guarded = await startDevOpsEmulator({ seed: seedOf(contractFixture()), port: 0, authorize: (h) => h === `Bearer ${accepted}` });
    try {
      const subject = new AzureDevOpsServiceEndpoints({ orgUrl: guarded.orgUrl, tokens, requestTimeoutMs: 5_000, maxAttempts: 3, sleep: noSleep });
      await subject.list(ALPHA.name);
      accepted = tokens.current = 'token-two';
      await expect(subject.list(ALPHA.name)).resolves.toHaveLength(3);
      tokens.current = 'token-expired';
      await expect(subject.list(ALPHA.name)).rejects.toMatchObject({ code: 'DEVOPS.UNAUTHORIZED', status: 401 });
      const log = guarded.requests.entries();
      expect(log.filter((r) => r.method === 'OPTIONS' && r.path.endsWith('/_apis/Location'))).toHaveLength(1);
      expect(log.filter((r) => r.path.endsWith('/Alpha/_apis/serviceendpoint/endpoints'))).toHaveLength(3);
    } finally {
      await guarded.close();
    }
  });

  it('rejects a conversion to the current scheme with the service\'s reason', async () => {
    const prod = await adapter.get(ALPHA.name, IDS.prod);
    if (!prod) throw new Error('fixture connection missing');
    await expect(adapter.update(prod, 'ConvertAuthenticationScheme')).rejects.toMatchObject({
      code: 'DEVOPS.BAD_REQUEST', status: 400, message: expect.stringMatching(/ServicePrincipal/),
    });
  });
});
