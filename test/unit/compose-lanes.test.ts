import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import { composeApp, type App } from '../../bot/compose';
import type { Lane } from '../../src/devops/call-gate';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { createLogger } from '../../src/logging';
import { testPorts, testSettings } from '../support/test-app';

const PROJECT = { id: 'a0000000-0000-4000-8000-0000000000a1', name: 'Payments' };
const endpoint = { id: 'e0000000-0000-4000-8000-000000000001', name: 'sc-prod', type: 'azurerm', serviceEndpointProjectReferences: [{ projectReference: PROJECT, name: 'sc-prod' }] };

/** One fake organization; every port handed out says which lane asked for it, and each call is noted with it. */
function lanedPorts() {
  const calls: string[] = [];
  const organization = new InMemoryServiceEndpoints([PROJECT], [endpoint]);
  const noted = (lane: Lane | 'ports'): ServiceEndpoints => new Proxy(organization, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${lane} ${String(key)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const pipelines = new InMemoryPipelineAccess();
  return { calls, devops: noted('ports'), lanes: (lane: Lane) => ({ devops: noted(lane), pipelines }) };
}

let app: App | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

describe('composeApp hands each use its lane of the Azure DevOps adapter', () => {
  it('turns read in the interactive lane, the radar\'s scan in the background lane', async () => {
    const { calls, devops, lanes } = lanedPorts();
    app = composeApp(testPorts({ devops, lanes, clock: new ManualClock('2026-11-22T06:00:00Z'), logger: createLogger({ level: 'silent' }) }), testSettings());
    await app.services.endpoints.list(PROJECT.name);
    expect(calls).toEqual(['interactive list']);
    calls.length = 0;
    const outcome = await app.alerts.runNow();
    expect(outcome.kind).toBe('scanned');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.startsWith('background '))).toEqual([]);
  });
});
