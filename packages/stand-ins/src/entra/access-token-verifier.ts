import { verify, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../result';
import type { AccessTokenClaims } from './access-token-claims';

export interface Rs256VerifyOptions {
  key: KeyObject;
  kid: string;
  /** The issuer each token version must name (a v1.0 token claiming the v2.0 issuer is refused). */
  issuers: Record<'1.0' | '2.0', string>;
  audience: string | string[];
  now: Date;
}

/** Why a token was refused; never contains the token itself. */
export type AccessTokenRejection = 'malformed' | 'algorithm' | 'kid' | 'signature' | 'issuer' | 'audience' | 'not-yet-valid' | 'expired';

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function audienceMatches(aud: unknown, expected: string | string[]): boolean {
  const wanted = Array.isArray(expected) ? expected : [expected];
  const actual = Array.isArray(aud) ? aud : [aud];
  return actual.some((a) => typeof a === 'string' && wanted.includes(a));
}

function claimsProblem(claims: Record<string, unknown>, options: Rs256VerifyOptions): AccessTokenRejection | null {
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const version = claims.ver === '1.0' || claims.ver === '2.0' ? claims.ver : undefined;
  if (!version || claims.iss !== options.issuers[version]) return 'issuer';
  if (!audienceMatches(claims.aud, options.audience)) return 'audience';
  if (typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') return 'malformed';
  if (claims.nbf > nowSeconds) return 'not-yet-valid';
  if (claims.exp <= nowSeconds) return 'expired';
  return null;
}

/**
 * Synchronous RS256 JWT check with node:crypto, so a request predicate can use it without awaiting.
 * The header must name exactly our algorithm and key: alg=none, HS256 or a foreign kid are refused.
 */
export function verifyRs256AccessToken(token: string, options: Rs256VerifyOptions): Result<AccessTokenClaims, AccessTokenRejection> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[2]) return err('malformed');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return err('malformed');
  if (header.alg !== 'RS256') return err('algorithm');
  if (header.kid !== options.kid) return err('kid');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'utf8');
  if (!verify('sha256', signed, options.key, Buffer.from(parts[2], 'base64url'))) return err('signature');
  const problem = claimsProblem(claims, options);
  return problem ? err(problem) : ok(claims as AccessTokenClaims);
}
