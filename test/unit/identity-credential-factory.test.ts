import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from '../../src/config';
import { AppError } from '../../src/domain/errors';
import { createCredential } from '../../src/identity';

const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = '66666666-7777-8888-9999-000000000000';
const clientSecret = 'unit~secret-value-never-shown';

function configError(identity: IdentityConfig): AppError {
  try {
    createCredential(identity);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected createCredential to throw');
}

describe('createCredential', () => {
  it.each([
    [{ kind: 'client-secret', tenantId, clientId, clientSecret }, ClientSecretCredential],
    [{ kind: 'client-certificate', tenantId, clientId, certificatePath: '/etc/scbot/cert.pem' }, ClientCertificateCredential],
    [{ kind: 'managed-identity', clientId }, ManagedIdentityCredential],
    [{ kind: 'managed-identity' }, ManagedIdentityCredential],
    [{ kind: 'workload-identity', tenantId, clientId, federatedTokenFile: '/var/run/secrets/token' }, WorkloadIdentityCredential],
    [{ kind: 'default' }, DefaultAzureCredential],
    [{ kind: 'default', tenantId, clientId }, DefaultAzureCredential],
  ] as Array<[IdentityConfig, abstract new (...args: never[]) => unknown]>)('builds %o as the matching @azure/identity class', (identity, expected) => {
    expect(createCredential(identity)).toBeInstanceOf(expected);
  });

  it('accepts a local authority host with a trusted CA', () => {
    const credential = createCredential(
      { kind: 'client-secret', tenantId, clientId, clientSecret, authorityHost: 'https://localhost:8443/' },
      { trust: { caCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } },
    );
    expect(credential).toBeInstanceOf(ClientSecretCredential);
  });

  it.each([
    [{ kind: 'client-secret', tenantId, clientId }, 'clientSecret (AZURE_CLIENT_SECRET)'],
    [{ kind: 'client-secret', clientSecret }, 'tenantId (AZURE_TENANT_ID), clientId (AZURE_CLIENT_ID)'],
    [{ kind: 'client-certificate', tenantId, clientId }, 'certificatePath (AZURE_CLIENT_CERTIFICATE_PATH)'],
    [{ kind: 'workload-identity', clientId }, 'tenantId (AZURE_TENANT_ID), federatedTokenFile (AZURE_FEDERATED_TOKEN_FILE)'],
  ] as Array<[IdentityConfig, string]>)('names the missing settings of %o', (identity, missing) => {
    const error = configError(identity);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toBe(`The ${identity.kind} credential needs ${missing}.`);
    expect(error.message).not.toContain(clientSecret);
  });

  it.each(['http://localhost:8443', 'not a url'])('refuses the authority host %s', (authorityHost) => {
    const error = configError({ kind: 'client-secret', tenantId, clientId, clientSecret, authorityHost });
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/AZURE_AUTHORITY_HOST/);
  });
});
