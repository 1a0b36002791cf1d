import type { ExecutionRecord, ProjectReference, ServiceEndpoint } from '../../src/domain/endpoint';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { CommandContext, Turn } from '../../src/commands';
import { testServices, testTurn } from '../support/command-services';
import { createLogger } from '../../src/logging';
import { Writable } from 'node:stream';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';

/** Data shaped like the demo seed: two projects plus one with a space, shared, failed, WIF and secret-bearing connections. */
export const PAYMENTS: ProjectReference = { id: '11111111-1111-4111-8111-111111111111', name: 'Payments' };
export const PLATFORM: ProjectReference = { id: '22222222-2222-4222-8222-222222222222', name: 'Platform' };
export const DATA: ProjectReference = { id: '33333333-3333-4333-8333-333333333333', name: 'Data Science' };
export const NOW = new Date('2026-11-22T05:00:00.000Z');

const ref = (p: ProjectReference, name: string) => ({ projectReference: { id: p.id, name: p.name }, name });
let n = 0;
const id = () => `aaaaaaaa-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function azurerm(name: string, projects: ProjectReference[], extra: Partial<ServiceEndpoint> = {}): ServiceEndpoint {
  return {
    id: id(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: true, isShared: projects.length > 1,
    authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: 'tenant-1', serviceprincipalid: 'client-1', authenticationType: 'spnKey', serviceprincipalkey: `SEEDSECRET-${name}` } },
    data: { creationMode: 'Manual', subscriptionName: 'Contoso Prod', subscriptionId: 'sub-1' },
    operationStatus: { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: projects.map((p) => ref(p, name)),
    ...extra,
  };
}

export const SC_PROD = azurerm('sc-prod', [PAYMENTS], {
  authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 'tenant-1', serviceprincipalid: 'client-prod', workloadIdentityFederationIssuer: 'https://vstoken.dev.azure.com/org-1', workloadIdentityFederationSubject: 'sc://contoso/Payments/sc-prod' } },
  data: { creationMode: 'Automatic', subscriptionName: 'Contoso Prod', revertSchemeDeadline: '2026-11-25T05:00:00.000Z' },
});
export const SC_DEV = azurerm('sc-dev', [PAYMENTS]);
export const SC_SHARED = azurerm('sc-shared', [PAYMENTS, PLATFORM]);
export const SC_BROKEN = azurerm('sc-broken', [PAYMENTS], { isReady: false, operationStatus: { state: 'Failed', statusMessage: 'Failed to create an app in Microsoft Entra ID. Insufficient privileges.' }, data: { creationMode: 'Automatic' } });
export const SC_OLD_FAILED = azurerm('sc-old-failed', [PLATFORM], { isReady: false, operationStatus: { state: 'Failed', statusMessage: 'Role assignment failed.' } });
export const SC_COMMON_A = azurerm('sc-common', [PAYMENTS]);
export const SC_COMMON_B = azurerm('sc-common', [PLATFORM]);
export const GITHUB = { ...azurerm('github-contoso', [PLATFORM]), type: 'github', url: 'https://github.com', authorization: { scheme: 'Token', parameters: { AccessToken: 'SEEDSECRET-github' } }, data: {} };
export const DS_CONN = azurerm('ml workspace', [DATA]);

export const ALL = [SC_PROD, SC_DEV, SC_SHARED, SC_BROKEN, SC_OLD_FAILED, SC_COMMON_A, SC_COMMON_B, GITHUB, DS_CONN];

export function history(endpoint: ServiceEndpoint, count: number): ExecutionRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    endpointId: endpoint.id, id: i + 1, result: i % 3 === 0 ? 'failed' : 'succeeded', definitionName: `pipeline-${i + 1}`,
    startTime: `2026-11-2${i % 10}T10:00:00.000Z`, finishTime: `2026-11-2${i % 10}T10:05:00.000Z`,
  }));
}

export function demoEndpoints(): InMemoryServiceEndpoints {
  return new InMemoryServiceEndpoints([PAYMENTS, PLATFORM, DATA], ALL, { [SC_PROD.id]: history(SC_PROD, 7) });
}

/** A logger writing to memory, so tests can read (and scan) every line. */
export function memoryLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

export function commandContext(overrides: Partial<CommandContext> = {}): CommandContext & { lines: string[] } {
  const { logger, lines } = memoryLogger();
  const turn = testTurn({ user: { id: '29:user', name: 'Dana', aadObjectId: 'dddddddd-0000-4000-8000-0000000000d1' }, ...pickTurn(overrides) });
  // The inventory reads through the endpoints and projects this context uses.
  const { endpoints = demoEndpoints(), clock = { now: () => NOW }, projects = [] } = overrides;
  return { ...testServices({ endpoints, plans: new InMemoryPlanRepository(), clock, logger, projects }), ...turn, lines, ...overrides };
}

/** The turn fields of a context override, so the principal and place follow an overridden user or conversation. */
export function pickTurn(overrides: Partial<CommandContext>): Partial<Turn> {
  const { user, conversation } = overrides;
  return { ...(user ? { user } : {}), ...(conversation ? { conversation } : {}) };
}
