import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/domain/time';
import { parseSeed, type Seed } from '@scbot/stand-ins';

/**
 * A seed built in code: one project with `count` connections, a mix of schemes and a few failed ones, so the
 * benchmark measures a realistic list rather than one repeated row. Goes through parseSeed like a seed file.
 */
export function generatedSeed(count: number, clock: Clock): Seed {
  const project = { id: randomUUID(), name: 'Bench' };
  const endpoints = Array.from({ length: count }, (_, i) => endpoint(i, project));
  return parseSeed({ organization: 'bench', projects: [project], endpoints, executionHistory: {} }, clock);
}

function endpoint(i: number, project: { id: string; name: string }) {
  const name = `sc-bench-${String(i).padStart(3, '0')}`;
  const failed = i % 25 === 0;
  const federated = i % 3 === 0;
  return {
    id: randomUUID(),
    name,
    type: 'azurerm',
    url: 'https://management.azure.com/',
    authorization: federated
      ? { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: randomUUID(), serviceprincipalid: randomUUID() } }
      : { scheme: 'ServicePrincipal', parameters: { tenantid: randomUUID(), serviceprincipalid: randomUUID(), authenticationType: 'spnKey', serviceprincipalkey: null } },
    data: { subscriptionId: randomUUID(), subscriptionName: `Subscription ${i}`, environment: 'AzureCloud', scopeLevel: 'Subscription', creationMode: i % 2 ? 'Manual' : 'Automatic' },
    isReady: !failed,
    operationStatus: failed ? { state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' } : { state: 'Ready' },
    serviceEndpointProjectReferences: [{ projectReference: { id: project.id, name: project.name }, name }],
  };
}
