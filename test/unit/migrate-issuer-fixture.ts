/**
 * The issuer move for unit tests: WIF connections on the Azure DevOps issuer, and a stand-in for the (inferred)
 * migration call that keeps state in the same in-memory service and identity directory the step writes to: it moves
 * a connection when Azure DevOps manages the app (Automatic) or the identity already holds the new credential,
 * otherwise it answers the manual fallback with the issuer and subject to add.
 */
import { randomUUID } from 'node:crypto';
import type { FederationMigration, MigrationAnswer } from '../../src/devops/federation-migration.port';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { entraIssuer, FEDERATION_AUDIENCE } from '../../src/domain/issuer';
import type { InMemoryIdentities } from '../support/federation-fakes';
import { PROJECT, TENANT, type RecordingEndpoints } from './executor-fixture';

export const ORG_ID = '0d0d0d0d-0000-4000-8000-00000000000d';
export const SUBSCRIPTION = '5b5b5b5b-0000-4000-8000-000000000005';
export const OLD_ISSUER = `https://vstoken.dev.azure.com/${ORG_ID}`;

export function wifEndpoint(name: string, overrides: { issuer?: string; mode?: 'Automatic' | 'Manual'; clientId?: string; environment?: string; state?: string } = {}): ServiceEndpoint {
  return {
    id: randomUUID(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: overrides.state ? overrides.state === 'Ready' : true, isShared: false,
    authorization: {
      scheme: 'WorkloadIdentityFederation',
      parameters: {
        tenantid: TENANT, serviceprincipalid: overrides.clientId ?? randomUUID(),
        workloadIdentityFederationIssuer: overrides.issuer ?? OLD_ISSUER, workloadIdentityFederationSubject: `sc://contoso/${PROJECT.name}/${name}`,
      },
    },
    data: { environment: overrides.environment ?? 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: SUBSCRIPTION, creationMode: overrides.mode ?? 'Manual' },
    operationStatus: { state: overrides.state ?? 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: [{ projectReference: { ...PROJECT }, name }],
  };
}

export const newSubjectOf = (endpoint: ServiceEndpoint) => `/eid1/c/pub/t/x/a/y/sc/${ORG_ID}/${endpoint.id}`;

type Hook = (subject: string) => Promise<void> | void;

export class FakeMigrationService implements FederationMigration {
  readonly calls: string[] = [];
  beforeMigrate: Hook | undefined;
  /** Answers with this issuer in the fallback (a service that names something unexpected). */
  fallbackIssuer: string | undefined;
  /** The fallback even when the credential exists (a service that keeps asking). */
  alwaysFallback = false;

  constructor(private readonly devops: RecordingEndpoints, private readonly identities: InMemoryIdentities) {}

  async migrateIssuer(oldSubject: string): Promise<MigrationAnswer> {
    this.calls.push(`MIGRATE ${oldSubject}`);
    await this.beforeMigrate?.(oldSubject);
    const endpoint = (await this.devops.inner.list(PROJECT.id)).find((e) => e.authorization?.parameters?.workloadIdentityFederationSubject === oldSubject);
    if (!endpoint) throw new AppError('DEVOPS.NOT_FOUND', 'no such connection');
    const params = endpoint.authorization?.parameters ?? {};
    const clientId = String(params.serviceprincipalid);
    const target = { issuer: this.fallbackIssuer ?? entraIssuer(TENANT), subject: newSubjectOf(endpoint), audience: FEDERATION_AUDIENCE };
    const held = this.identities.credentialsOf(clientId).some((c) => c.issuer === target.issuer && c.subject === target.subject);
    if (this.alwaysFallback || (endpoint.data?.creationMode !== 'Automatic' && !held)) return { kind: 'credential-required', ...target };
    await this.devops.inner.update({
      ...endpoint,
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { ...params, workloadIdentityFederationIssuer: target.issuer, workloadIdentityFederationSubject: target.subject, workloadIdentityFederationIssuerType: 'EntraID' } },
    });
    return { kind: 'moved' };
  }
}
