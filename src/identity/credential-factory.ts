import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { IdentityConfig } from '../config';
import { AppError } from '../domain/errors';

export interface CreateCredentialOptions {
  /** Trust this CA in addition to the public roots, e.g. the Entra stand-in's self-signed certificate. */
  trust?: { caCertificatePem: string };
  /** HTTP retries of the credential's own pipeline (SDK default 3); a caller with its own retry loop passes 0. */
  maxRetries?: number;
}

/** Public Entra authority hosts; any other host (the local stand-in) must skip MSAL's instance discovery. */
const PUBLIC_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** Which config fields each kind needs, named by the environment variable a person would set. */
const REQUIRED: Record<IdentityConfig['kind'], Array<[keyof IdentityConfig, string]>> = {
  'client-secret': [['tenantId', 'AZURE_TENANT_ID'], ['clientId', 'AZURE_CLIENT_ID'], ['clientSecret', 'AZURE_CLIENT_SECRET']],
  'client-certificate': [['tenantId', 'AZURE_TENANT_ID'], ['clientId', 'AZURE_CLIENT_ID'], ['certificatePath', 'AZURE_CLIENT_CERTIFICATE_PATH']],
  'workload-identity': [['tenantId', 'AZURE_TENANT_ID'], ['clientId', 'AZURE_CLIENT_ID'], ['federatedTokenFile', 'AZURE_FEDERATED_TOKEN_FILE']],
  'managed-identity': [],
  default: [],
};

interface CommonOptions {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  agent?: Agent;
  retryOptions?: { maxRetries: number };
}

function requireFields(identity: IdentityConfig): void {
  const missing = REQUIRED[identity.kind].filter(([field]) => !identity[field]).map(([field, env]) => `${field} (${env})`);
  if (missing.length > 0) {
    throw new AppError('CONFIG.INVALID', `The ${identity.kind} credential needs ${missing.join(', ')}.`);
  }
}

function commonOptions(identity: IdentityConfig, options: CreateCredentialOptions): CommonOptions {
  const common: CommonOptions = {};
  if (identity.authorityHost) {
    let url: URL;
    try {
      url = new URL(identity.authorityHost);
    } catch {
      throw new AppError('CONFIG.INVALID', 'authorityHost (AZURE_AUTHORITY_HOST) must be a URL, e.g. https://login.microsoftonline.com.');
    }
    if (url.protocol !== 'https:') throw new AppError('CONFIG.INVALID', 'authorityHost (AZURE_AUTHORITY_HOST) must use https.');
    common.authorityHost = url.origin;
    // Without this MSAL asks the public cloud to "discover" the local host and fails (endpoints_resolution_error).
    if (!PUBLIC_AUTHORITY_HOSTS.has(url.hostname.toLowerCase())) common.disableInstanceDiscovery = true;
  }
  if (options.maxRetries !== undefined) common.retryOptions = { maxRetries: options.maxRetries };
  if (options.trust) {
    // The stand-in's certificate is made at start-up, after Node has read NODE_EXTRA_CA_CERTS, so trust is
    // handed to the SDK instead: @azure/identity's pipeline honours the PipelineOptions `agent` (it adds
    // core-rest-pipeline's agentPolicy, which sets request.agent for the node http client). Public roots stay
    // trusted; certificate checks are never turned off.
    common.agent = new Agent({ ca: [...rootCertificates, options.trust.caCertificatePem], keepAlive: true });
  }
  return common;
}

/**
 * The bot's own identity as an @azure/identity TokenCredential, chosen by `identity.kind`.
 * Throws AppError('CONFIG.INVALID') naming the missing settings (never their values).
 */
export function createCredential(identity: IdentityConfig, options: CreateCredentialOptions = {}): TokenCredential {
  requireFields(identity);
  const common = commonOptions(identity, options);
  const { tenantId = '', clientId = '', clientSecret = '', certificatePath = '', federatedTokenFile = '' } = identity;
  switch (identity.kind) {
    case 'client-secret':
      return new ClientSecretCredential(tenantId, clientId, clientSecret, common);
    case 'client-certificate':
      return new ClientCertificateCredential(tenantId, clientId, { certificatePath }, common);
    case 'managed-identity':
      // A client id selects a user-assigned identity; without one the system-assigned identity is used.
      return identity.clientId ? new ManagedIdentityCredential({ clientId: identity.clientId, ...common }) : new ManagedIdentityCredential(common);
    case 'workload-identity':
      return new WorkloadIdentityCredential({ tenantId, clientId, tokenFilePath: federatedTokenFile, ...common });
    case 'default':
      return new DefaultAzureCredential({
        ...common,
        ...(identity.tenantId ? { tenantId: identity.tenantId } : {}),
        ...(identity.clientId ? { managedIdentityClientId: identity.clientId, workloadIdentityClientId: identity.clientId } : {}),
      });
    default: {
      const unknown: never = identity.kind;
      throw new AppError('CONFIG.INVALID', `Unknown credential kind: ${String(unknown)}.`);
    }
  }
}
