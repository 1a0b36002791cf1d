import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/domain/time';
import { parseSeed, type Seed } from '@scbot/stand-ins';

/**
 * A seed for the scanner bench: `count` connections over several projects, a mix of every kind a scan looks at
 * (failed, secret-based with apps shared by several connections, WIF on the retiring and on the Entra issuer,
 * recently converted, certificate, managed identity, a few shared across two projects), half of them old enough
 * to be unused, half of those used 5 days ago. Goes through parseSeed like a seed file.
 */
export const SCAN_PROJECTS = 5;
/** Two in every six connections are secret-based; one app per twelve connections, so four share each app. */
const CONNECTIONS_PER_APP_SLOT = 12;

export function scanSeed(count: number, clock: Clock, options: { applications?: boolean } = {}): Seed {
  const projects = Array.from({ length: SCAN_PROJECTS }, (_, i) => ({ id: randomUUID(), name: `Scan ${i}` }));
  const apps = Array.from({ length: Math.ceil(count / CONNECTIONS_PER_APP_SLOT) }, () => randomUUID());
  const endpoints = Array.from({ length: count }, (_, i) => endpoint(i, projects, apps));
  const executionHistory = Object.fromEntries(endpoints.filter((_, i) => i % 4 === 1).map((e, n) => [e.id, [{
    endpointId: e.id, data: { id: n + 1, result: 'succeeded', startTime: '${now-6d}', finishTime: '${now-5d}' },
  }]]));
  return parseSeed({ organization: 'scanbench', projects, endpoints, executionHistory, ...(options.applications ? graphSections(apps) : {}) }, clock);
}

/**
 * The apps in the Graph stand-in, each with one secret: one in twelve expired, one in twelve expiring within the
 * 14 days, the rest later; the bot owns them all.
 */
function graphSections(apps: string[]) {
  const bot = { appId: randomUUID(), objectId: randomUUID(), tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
  const applications = apps.map((appId, i) => ({
    objectId: randomUUID(), appId, displayName: `scan-app-${i}`, owners: [bot.objectId],
    passwordCredentials: [{ keyId: randomUUID(), displayName: 'seed', secretText: `bench-secret-${i}`, startDateTime: '${now-300d}', endDateTime: `\${now${i % 12 === 0 ? '-3' : i % 12 === 1 ? '+5' : '+200'}d}` }],
  }));
  return { bot, applications };
}

function authorization(i: number, appId: string) {
  const tenantid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  switch (i % 6) {
    case 0: return { scheme: 'WorkloadIdentityFederation', parameters: { tenantid, serviceprincipalid: randomUUID(), workloadIdentityFederationIssuer: 'https://vstoken.dev.azure.com/00000000-0000-4000-8000-000000000001' } };
    case 1: return { scheme: 'WorkloadIdentityFederation', parameters: { tenantid, serviceprincipalid: randomUUID(), workloadIdentityFederationIssuer: `https://login.microsoftonline.com/${tenantid}/v2.0` } };
    case 2: return { scheme: 'ServicePrincipal', parameters: { tenantid, serviceprincipalid: randomUUID(), authenticationType: 'spnCertificate', servicePrincipalCertificate: null } };
    case 3: return { scheme: 'ManagedServiceIdentity', parameters: { tenantid } };
    default: return { scheme: 'ServicePrincipal', parameters: { tenantid, serviceprincipalid: appId, authenticationType: 'spnKey', serviceprincipalkey: null } };
  }
}

function endpoint(i: number, projects: Array<{ id: string; name: string }>, apps: string[]) {
  const name = `sc-scan-${String(i).padStart(5, '0')}`;
  const failed = i % 25 === 7;
  const home = projects[i % projects.length] ?? { id: randomUUID(), name: 'none' };
  const other = projects[(i + 1) % projects.length] ?? home;
  const references = [{ projectReference: home, name }, ...(i % 50 === 3 ? [{ projectReference: other, name }] : [])];
  const converted = i % 6 === 1 && i % 12 === 1;
  return {
    id: randomUUID(), name, type: 'azurerm', url: 'https://management.azure.com/',
    authorization: authorization(i, apps[Math.floor(i / CONNECTIONS_PER_APP_SLOT)] ?? randomUUID()),
    data: {
      environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: randomUUID(), subscriptionName: `Subscription ${i}`,
      creationMode: i % 2 ? 'Manual' : 'Automatic', ...(converted ? { revertSchemeDeadline: '${now+2d}' } : {}),
    },
    isReady: !failed,
    operationStatus: failed ? { state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' } : { state: 'Ready', statusMessage: '' },
    creationDate: i % 2 ? '${now-200d}' : '${now-10d}',
    isShared: references.length > 1,
    serviceEndpointProjectReferences: references,
  };
}
