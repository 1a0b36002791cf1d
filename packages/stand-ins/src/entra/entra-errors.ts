import { randomUUID } from 'node:crypto';

/**
 * OAuth error replies shaped as Entra sends them, so MSAL (inside @azure/identity) reacts as it does in Azure.
 * Codes and wording follow the real AADSTS messages; descriptions name the app or scope, never a secret.
 */

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = 'EntraError';
  }

  body(now: Date): EntraErrorBody {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const stamp = now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `${this.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${stamp}`,
      error_codes: [this.aadsts],
      timestamp: stamp,
      trace_id: traceId,
      correlation_id: correlationId,
    };
  }
}

export const entraErrors = {
  tenantNotFound: (tenant: string) =>
    new EntraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  unsupportedGrant: () =>
    new EntraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  missingCredential: () =>
    new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  unknownClient: (appId: string, tenant: string) =>
    new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  invalidSecret: (appId: string) =>
    new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`),
  expiredSecret: (appId: string) =>
    new EntraError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app.`),
  invalidScope: (scope: string) =>
    new EntraError(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  badAssertionType: () =>
    new EntraError(400, 'invalid_request', 700025, "Client assertion type is not 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'."),
  malformedAssertion: () =>
    new EntraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.'),
  unknownCertificate: (appId: string) =>
    new EntraError(401, 'invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application '${appId}'.`),
  badAssertionSignature: () =>
    new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'),
  assertionExpired: () =>
    new EntraError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
  assertionAudience: () =>
    new EntraError(401, 'invalid_client', 700038, 'The audience of the client assertion does not match this token endpoint.'),
  assertionSubject: () =>
    new EntraError(401, 'invalid_client', 700023, 'The client assertion issuer and subject must be the client id.'),
};
