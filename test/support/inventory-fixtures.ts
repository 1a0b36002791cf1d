/**
 * Connections, projects, a clock tests move and a logger that keeps its lines, for the inventory's tests.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ProjectReference, ServiceEndpoint } from '../../src/domain/endpoint';
import { createLogger, type Logger } from '../../src/logging';

export type Project = Required<ProjectReference>;

export const project = (name: string, id: string = randomUUID()): Project => ({ id, name });

/** A connection in these projects (its name in each, unless `names` says otherwise), with a secret that must never be kept. */
export function connection(name: string, projects: readonly Project[], overrides: Partial<ServiceEndpoint> & { names?: string[] } = {}): ServiceEndpoint {
  const { names, ...rest } = overrides;
  return {
    id: randomUUID(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: true, isShared: projects.length > 1, owner: 'library',
    authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: 'cccccccc-0000-4000-8000-00000000000c', serviceprincipalid: randomUUID(), authenticationType: 'spnKey', serviceprincipalkey: `SEED-SECRET-${name}` } },
    data: { creationMode: 'Manual', environment: 'AzureCloud' },
    operationStatus: { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: projects.map((p, i) => ({ projectReference: { ...p }, name: names?.[i] ?? name, description: null })),
    ...rest,
  };
}

export function failed(endpoint: ServiceEndpoint): ServiceEndpoint {
  return { ...endpoint, isReady: false, operationStatus: { state: 'Failed', statusMessage: 'AADSTS7000215: Invalid client secret provided.' } };
}

export function workloadIdentity(endpoint: ServiceEndpoint, issuer = 'https://login.microsoftonline.com/cccccccc-0000-4000-8000-00000000000c/v2.0'): ServiceEndpoint {
  return { ...endpoint, authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 'cccccccc-0000-4000-8000-00000000000c', serviceprincipalid: randomUUID(), workloadIdentityFederationIssuer: issuer, workloadIdentityFederationSubject: 'sc://org/p/n' } } };
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(private at = Date.parse('2026-09-01T10:00:00Z')) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}
