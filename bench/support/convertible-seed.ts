import { randomUUID } from 'node:crypto';
import { systemClock } from '../../src/domain/time';
import { parseSeed, type Seed } from '@scbot/stand-ins';

/**
 * `count` connections that seed 002 converts: azurerm, ServicePrincipal, Automatic, ready, in one project.
 * Goes through parseSeed like a seed file.
 */
export function convertibleSeed(count: number): { project: { id: string; name: string }; seed: Seed } {
  const project = { id: randomUUID(), name: 'Bench' };
  const endpoints = Array.from({ length: count }, (_, i) => {
    const name = `sc-convert-${String(i).padStart(3, '0')}`;
    return {
      id: randomUUID(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: true,
      authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: randomUUID(), serviceprincipalid: randomUUID(), authenticationType: 'spnKey', serviceprincipalkey: null } },
      data: { environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: randomUUID(), subscriptionName: `Sub ${i}`, creationMode: 'Automatic', azureSpnRoleAssignmentId: randomUUID(), spnObjectId: randomUUID(), appObjectId: randomUUID() },
      operationStatus: { state: 'Ready', statusMessage: '' },
      serviceEndpointProjectReferences: [{ projectReference: project, name }],
    };
  });
  return { project, seed: parseSeed({ organization: 'bench', projects: [project], endpoints, executionHistory: {} }, systemClock) };
}
