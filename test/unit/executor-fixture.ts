/**
 * Hand-written fakes for the executor's unit tests: a recording ServiceEndpoints over the in-memory fake (with the
 * conversion rules the fake does not model), an app-secret store with a verifier that accepts only its current
 * passwords, and builders for plans made by the real planners.
 */
import { randomUUID } from 'node:crypto';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ListFilter, ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { ManualClock } from '@scbot/stand-ins';
import type { AppSecrets, NewSecret, PasswordCredentialInfo, SecretVerifier } from '../../src/azure/secret-source.port';

export const PROJECT = { id: 'a1a1a1a1-0000-4000-8000-000000000001', name: 'Alpha' };
export const OTHER = { id: 'b2b2b2b2-0000-4000-8000-000000000002', name: 'Beta' };
export const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
export const START = '2026-11-22T06:00:00.000Z';

export function spnEndpoint(name: string, overrides: Partial<ServiceEndpoint> = {}, appId: string = randomUUID()): ServiceEndpoint {
  return {
    id: randomUUID(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: true, isShared: false,
    authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: appId, authenticationType: 'spnKey', serviceprincipalkey: null } },
    data: { environment: 'AzureCloud', scopeLevel: 'Subscription', creationMode: 'Automatic', azureSpnRoleAssignmentId: 'ra', spnObjectId: 'so', appObjectId: 'ao', azureSpnPermissions: '[]' },
    operationStatus: { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: [{ projectReference: { ...PROJECT }, name }],
    ...overrides,
  };
}

type Hook = (id: string) => Promise<void> | void;

/**
 * Records every call as "LIST id,id,…" (reads by ids) / "GET id" / "PUT id [operation]" / "DELETE id"; hooks
 * inject faults per call. `callsFor(id)` shows a list read that covered the id as "LIST id".
 */
export class RecordingEndpoints implements ServiceEndpoints {
  readonly calls: string[] = [];
  readonly bodies: ServiceEndpoint[] = [];
  readonly inner: InMemoryServiceEndpoints;
  beforeUpdate: Hook | undefined;
  /** Before a create reaches the store (by name); after it, the answer can be lost. */
  beforeCreate: Hook | undefined;
  afterCreate: Hook | undefined;
  beforeGet: Hook | undefined;
  beforeList: ((ids: string[]) => Promise<void> | void) | undefined;
  /** Answers of a conversion PUT, rewritten before the step sees them (the stored state is not changed). */
  answerAfterConvert: ((answer: ServiceEndpoint) => ServiceEndpoint) | undefined;
  /** Ids that read as not ready after a conversion. */
  readonly notReadyAfterConvert = new Set<string>();

  constructor(endpoints: ServiceEndpoint[], private readonly clock: ManualClock) {
    this.inner = new InMemoryServiceEndpoints([PROJECT, OTHER], endpoints);
  }

  projects() { return this.inner.projects(); }
  async list(project: string, filter: ListFilter = {}): Promise<ServiceEndpoint[]> {
    if (filter.endpointIds) this.calls.push(`LIST ${filter.endpointIds.join(',')}`);
    await this.beforeList?.(filter.endpointIds ?? []);
    return this.inner.list(project, filter);
  }

  getByName(project: string, name: string) { return this.inner.getByName(project, name, { includeFailed: true }); }
  share() { return Promise.resolve(); }
  executionHistory() { return Promise.resolve({ records: [] }); }

  async get(project: string, id: string): Promise<ServiceEndpoint | null> {
    this.calls.push(`GET ${id}`);
    await this.beforeGet?.(id);
    return this.inner.get(project, id);
  }

  async create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    this.calls.push(`POST ${endpoint.name}`);
    this.bodies.push(structuredClone(endpoint));
    await this.beforeCreate?.(endpoint.name);
    const answer = await this.inner.create(endpoint);
    await this.afterCreate?.(answer.id);
    return answer;
  }

  async update(endpoint: ServiceEndpoint, operation?: string): Promise<ServiceEndpoint> {
    this.calls.push(`PUT ${endpoint.id}${operation ? ` ${operation}` : ''}`);
    this.bodies.push(structuredClone(endpoint));
    await this.beforeUpdate?.(endpoint.id);
    const stored = operation ? this.converted(endpoint) : endpoint;
    const answer = await this.inner.update(stored);
    return operation && this.answerAfterConvert ? this.answerAfterConvert(answer) : answer;
  }

  async delete(id: string, projectIds: string[], options?: { deep?: boolean }): Promise<void> {
    this.calls.push(`DELETE ${id} ${projectIds.join(',')}${options?.deep ? ' deep' : ''}`);
    await this.inner.delete(id, projectIds);
  }

  callsFor(id: string): string[] {
    return this.calls
      .filter((c) => (c.split(' ')[1] ?? '').split(',').includes(id))
      .map((c) => (c.startsWith('LIST ') ? `LIST ${id}` : c));
  }

  /** The list reads made, each as its ids. */
  lists(): string[][] {
    return this.calls.filter((c) => c.startsWith('LIST ')).map((c) => c.slice(5).split(','));
  }

  private converted(endpoint: ServiceEndpoint): ServiceEndpoint {
    const toFederation = endpoint.authorization?.scheme === 'WorkloadIdentityFederation';
    const data = { ...(endpoint.data ?? {}) };
    if (toFederation) data.revertSchemeDeadline = new Date(this.clock.now().getTime() + 7 * 86_400_000).toISOString();
    else delete data.revertSchemeDeadline;
    const ready = !(toFederation && this.notReadyAfterConvert.has(endpoint.id));
    return { ...endpoint, data, isReady: ready, operationStatus: { state: ready ? 'Ready' : 'Failed', statusMessage: '' } };
  }
}

/** App registrations' passwords in memory; `verify` accepts only a password the app currently has. */
export class FakeAppSecrets implements AppSecrets, SecretVerifier {
  readonly apps = new Map<string, Array<{ keyId: string; value: string; endDateTime: string; displayName?: string }>>();
  readonly removed: string[] = [];
  /** Verification answers false this many times first (Entra propagation delay). */
  propagationMisses = 0;
  verifications = 0;

  seed(appId: string, keyId: string, value: string): void {
    this.apps.set(appId, [...(this.apps.get(appId) ?? []), { keyId, value, endDateTime: '2027-01-01T00:00:00Z' }]);
  }

  async addPassword(appId: string, options: { displayName: string; endDateTime: string }): Promise<NewSecret & { keyId: string }> {
    const created = { keyId: randomUUID(), value: `NEW-SECRET-${randomUUID()}`, endDateTime: options.endDateTime, displayName: options.displayName };
    this.apps.set(appId, [...(this.apps.get(appId) ?? []), created]);
    return { keyId: created.keyId, value: created.value, expiresAt: options.endDateTime };
  }

  async removePassword(appId: string, keyId: string): Promise<void> {
    const list = this.apps.get(appId) ?? [];
    if (!list.some((p) => p.keyId === keyId)) throw new AppError('GRAPH.NOT_FOUND', `no password ${keyId}`);
    this.apps.set(appId, list.filter((p) => p.keyId !== keyId));
    this.removed.push(keyId);
  }

  async listPasswords(appId: string): Promise<PasswordCredentialInfo[]> {
    return (this.apps.get(appId) ?? []).map((p) => ({ keyId: p.keyId, endDateTime: p.endDateTime, ...(p.displayName ? { displayName: p.displayName } : {}) }));
  }

  async verify(_tenantId: string, clientId: string, secret: string): Promise<boolean> {
    this.verifications += 1;
    if (this.propagationMisses > 0) {
      this.propagationMisses -= 1;
      return false;
    }
    return (this.apps.get(clientId) ?? []).some((p) => p.value === secret);
  }

  values(): string[] {
    return [...this.apps.values()].flat().map((p) => p.value);
  }
}

/** Collects log objects so tests can scan them for secret values. */
export class MemoryLogger {
  readonly lines: string[] = [];
  info(obj: object, msg?: string): void { this.lines.push(JSON.stringify({ ...obj, msg })); }
  warn(obj: object, msg?: string): void {
    const err = (obj as { err?: unknown }).err;
    this.lines.push(JSON.stringify({ ...obj, err: err instanceof Error ? err.message : err, msg }));
  }
}

export const target = (endpoint: ServiceEndpoint) => ({ endpoint, project: { ...PROJECT }, history: [] });
export const newClock = () => new ManualClock(START);
