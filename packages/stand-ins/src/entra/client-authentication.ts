import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { Clock } from '../clock';
import type { ApplicationRegistry, StoredKey } from './application-registry';
import { EntraError, entraErrors } from './entra-errors';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAuthenticationContext {
  registry: ApplicationRegistry;
  clock: Clock;
  tenantId: string;
  /** Audiences a client assertion may name: the token endpoint (what MSAL sends) or the authority/issuer. */
  assertionAudiences: string[];
}

/**
 * Authenticates the client of a client_credentials request, by secret or by certificate-signed assertion.
 * Returns the app id or throws an EntraError shaped like Azure's reply.
 */
export async function authenticateClient(form: URLSearchParams, ctx: ClientAuthenticationContext): Promise<string> {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret && assertion) throw new EntraError(400, 'invalid_request', 7000216, "Only one of 'client_secret' and 'client_assertion' may be sent.");
  if (assertion) return authenticateByAssertion(form, assertion, ctx);
  const clientId = form.get('client_id');
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (!secret) throw entraErrors.missingCredential();
  return authenticateBySecret(clientId, secret, ctx);
}

function authenticateBySecret(clientId: string, secret: string, ctx: ClientAuthenticationContext): string {
  if (!ctx.registry.hasClient(clientId)) throw entraErrors.unknownClient(clientId, ctx.tenantId);
  const check = ctx.registry.checkSecret(clientId, secret, ctx.clock.now());
  if (check === 'expired') throw entraErrors.expiredSecret(clientId);
  if (check === 'invalid') throw entraErrors.invalidSecret(clientId);
  return clientId;
}

function readHeader(assertion: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    throw entraErrors.malformedAssertion();
  }
}

/** Certificates are matched by thumbprint as Entra does; bare public keys (no thumbprint) are tried in turn. */
function candidateKeys(keys: StoredKey[], header: ProtectedHeaderParameters): KeyObject[] {
  const s256 = header['x5t#S256'];
  const sha1 = header.x5t;
  return keys
    .filter((k) => k.x5t === null || (s256 !== undefined ? k.x5tS256 === s256 : k.x5t === sha1))
    .map((k) => k.publicKey);
}

async function authenticateByAssertion(form: URLSearchParams, assertion: string, ctx: ClientAuthenticationContext): Promise<string> {
  if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) throw entraErrors.badAssertionType();
  const header = readHeader(assertion);
  if (header.alg !== 'RS256' && header.alg !== 'PS256') throw entraErrors.malformedAssertion();
  const clientId = form.get('client_id');
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (!ctx.registry.hasClient(clientId)) throw entraErrors.unknownClient(clientId, ctx.tenantId);
  const keys = candidateKeys(ctx.registry.activeKeys(clientId, ctx.clock.now()), header);
  if (keys.length === 0) throw entraErrors.unknownCertificate(clientId);
  let failure: EntraError = entraErrors.badAssertionSignature();
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(assertion, key, {
        algorithms: ['RS256', 'PS256'],
        audience: ctx.assertionAudiences,
        currentDate: ctx.clock.now(),
        // Entra tolerates five minutes of skew between the client's clock and its own.
        clockTolerance: 300,
        requiredClaims: ['exp', 'aud', 'iss', 'sub'],
      });
      if (payload.iss !== clientId || payload.sub !== clientId) throw entraErrors.assertionSubject();
      return clientId;
    } catch (error) {
      if (error instanceof EntraError) throw error;
      failure = assertionFailure(error);
    }
  }
  throw failure;
}

function assertionFailure(error: unknown): EntraError {
  const { code, claim } = error as { code?: string; claim?: string };
  if (code === 'ERR_JWT_EXPIRED' || (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'nbf' || claim === 'iat'))) {
    return entraErrors.assertionExpired();
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') return entraErrors.assertionAudience();
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return entraErrors.assertionSubject();
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return entraErrors.badAssertionSignature();
  return entraErrors.malformedAssertion();
}
