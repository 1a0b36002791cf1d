import type { ServiceEndpoint } from '../wire/service-endpoint';
import type { AuditActor } from './audit-trail';
import type { Lifecycle } from './lifecycle';
import type { EmulatorState, Project } from './state';

/** What a rule needs to know about the request and the emulator around it. */
export interface RuleContext {
  state: EmulatorState;
  now: Date;
  /** The project named in the URL, if the route had one. */
  project?: Project;
  organizationId: string;
  /** Who is calling, as the audit log records them (the emulator user unless the server was told how to tell). */
  caller: AuditActor;
  /** Delays and scripted failures of the service's asynchronous operations. */
  lifecycle: Lifecycle;
  /** Whether Entra already holds a federated credential for this (Manual) connection; see conversion.ts. */
  hasFederatedCredential: (endpoint: ServiceEndpoint) => boolean;
  /** Readiness realism (off when absent): does this service principal secret authenticate at Entra? See readiness.ts. */
  verifyServicePrincipalSecret?: (tenantId: string, clientId: string, secret: string) => boolean;
  /** Azure DevOps adds the federated credential to apps it manages when it converts them (Automatic only). */
  createFederatedCredential?: (request: FederatedCredentialRequest) => void;
}

export interface FederatedCredentialRequest {
  appId: string;
  issuer: string;
  subject: string;
  endpointId: string;
}

/** The identity every emulator write is attributed to. */
export const EMULATOR_IDENTITY = {
  id: '8b3e6a6e-6c0b-4a4f-9a55-3d3c5a1e0f01',
  displayName: 'Emulator User',
  uniqueName: 'emulator@scbot.local',
  descriptor: 'aad.ZW11bGF0b3I',
};

/** That identity in the audit log: a person calling the REST API. */
export const EMULATOR_CALLER: AuditActor = {
  userId: EMULATOR_IDENTITY.id, cuid: '5f0e9c1a-2b7d-4e5f-8a9b-0c1d2e3f4a5b', displayName: EMULATOR_IDENTITY.displayName,
  upn: EMULATOR_IDENTITY.uniqueName, userAgent: 'scbot-emulator-client', authenticationMechanism: 'PAT_Unscoped',
};
