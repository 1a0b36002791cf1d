import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/domain/time';
import { parseSeed, type Seed } from '@scbot/stand-ins';

/**
 * An organization for the org-scale bench: `projects` projects (`Proj-0000` …) of `perProject` connections each,
 * named `sc-PPPP-CCCC` (unique per project, and `sc-shared-CCCC` repeated across projects, as real organizations
 * reuse names), a mix of schemes and creation modes, one in 25 failed, one in 40 disabled, one in 100 shared with
 * the next project. Goes through parseSeed like a seed file.
 */
export function orgSeed(projects: number, perProject: number, clock: Clock): Seed {
  const list = Array.from({ length: projects }, (_, p) => ({ id: randomUUID(), name: `Proj-${String(p).padStart(4, '0')}` }));
  const endpoints = list.flatMap((project, p) => Array.from({ length: perProject }, (_, c) => endpoint(project, list[(p + 1) % list.length] ?? project, p, c)));
  return parseSeed({ organization: 'orgscale', projects: list, endpoints, executionHistory: {} }, clock);
}

function endpoint(project: { id: string; name: string }, next: { id: string; name: string }, p: number, c: number) {
  const n = p * 1000 + c;
  const name = c === 0 ? `sc-shared-${String(p % 10).padStart(4, '0')}` : `sc-${String(p).padStart(4, '0')}-${String(c).padStart(4, '0')}`;
  const failed = n % 25 === 3;
  const federated = n % 3 === 0;
  const shared = n % 100 === 50 && next.id !== project.id;
  const tenantid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  return {
    id: randomUUID(), name, type: n % 17 === 0 ? 'github' : 'azurerm', url: 'https://management.azure.com/',
    authorization: federated
      ? { scheme: 'WorkloadIdentityFederation', parameters: { tenantid, serviceprincipalid: randomUUID(), workloadIdentityFederationIssuer: n % 2 ? `https://login.microsoftonline.com/${tenantid}/v2.0` : 'https://vstoken.dev.azure.com/00000000-0000-4000-8000-0000000000aa', workloadIdentityFederationSubject: `sc://orgscale/${project.name}/${name}` } }
      : { scheme: 'ServicePrincipal', parameters: { tenantid, serviceprincipalid: randomUUID(), authenticationType: 'spnKey', serviceprincipalkey: null } },
    data: { subscriptionId: randomUUID(), subscriptionName: `Subscription ${n}`, environment: 'AzureCloud', scopeLevel: 'Subscription', creationMode: n % 2 ? 'Manual' : 'Automatic' },
    isReady: !failed,
    isDisabled: n % 40 === 7,
    operationStatus: failed ? { state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' } : { state: 'Ready' },
    creationDate: '${now-30d}',
    serviceEndpointProjectReferences: [{ projectReference: project, name }, ...(shared ? [{ projectReference: next, name: `${name}-from-${project.name}` }] : [])],
  };
}
