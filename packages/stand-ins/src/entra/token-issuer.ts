import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JSONWebKeySet } from 'jose';
import type { Result } from '../result';
import type { AccessTokenClaims } from './access-token-claims';
import { verifyRs256AccessToken, type AccessTokenRejection } from './access-token-verifier';
import type { Clock } from '../clock';


export interface VerifyAccessTokenOptions {
  /** Expected `aud`, e.g. the Azure DevOps resource id `499b84ac-1321-427f-aa17-267ca6975798`. */
  audience: string | string[];
}

export interface IssueRequest {
  appId: string;
  servicePrincipalId: string;
  audience: string;
  /** The version the resource asks for (access-token-claims.ts). */
  version: 1 | 2;
  /** Application permissions granted on the resource (`roles`); the claim is left out when empty. */
  roles?: readonly string[];
  /** A delegated token: the signed-in user and the scopes consented for the client (`scp`); app-only when absent. */
  user?: DelegatedUser;
  /** When the token was issued (a test's expired token); the stand-in's clock by default. */
  issuedAt?: Date;
  /** Overrides the stand-in's token lifetime for this token. */
  lifetimeSeconds?: number;
}

export interface DelegatedUser {
  /** The user's object id: `oid` of a delegated token. */
  objectId: string;
  displayName?: string;
  /** The sign-in name (`upn` in v1.0, `preferred_username` in v2.0). */
  userPrincipalName?: string;
  /** Delegated permissions (scope values, e.g. `Mcp.Access`), space-separated in `scp`. */
  scopes: readonly string[];
}

/** Entra's v1.0 issuer: a name, not an address (no stand-in serves it). */
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * Signs RS256 access tokens with a key made at start-up and verifies them against the same key that
 * `/discovery/v2.0/keys` serves, so other stand-ins can check a bearer token came from this authority.
 */
export class TokenIssuer {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly jwks: JSONWebKeySet,
    private readonly kid: string,
    private readonly settings: { issuer: string; tenantId: string; lifetimeSeconds: number; clock: Clock },
  ) {}

  static create(settings: { issuer: string; tenantId: string; lifetimeSeconds: number; clock: Clock }): TokenIssuer {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID().replace(/-/g, '');
    const { n, e } = publicKey.export({ format: 'jwk' });
    return new TokenIssuer(privateKey, publicKey, { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e }] }, kid, settings);
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  async issue(request: IssueRequest): Promise<IssuedToken> {
    const { tenantId, clock } = this.settings;
    const lifetimeSeconds = request.lifetimeSeconds ?? this.settings.lifetimeSeconds;
    const iat = Math.floor((request.issuedAt ?? clock.now()).getTime() / 1000);
    const accessToken = await new SignJWT(this.claimsFor(request))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(request.version === 1 ? v1Issuer(tenantId) : this.settings.issuer)
      .setAudience(request.audience)
      .setSubject(request.user?.objectId ?? request.servicePrincipalId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(this.privateKey);
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  /**
   * v1.0 names the client `appid` (and `idp`), v2.0 `azp`; each leaves the other's claims out. A delegated token
   * names the user (`oid`, `name`, `upn` or `preferred_username`) and the consented scopes (`scp`), and has no `idp`
   * (the user signed in to this tenant); an app-only token has `idtyp` app (access-token-claims-reference.md).
   */
  private claimsFor(request: IssueRequest): Record<string, unknown> {
    const { tenantId } = this.settings;
    const { user } = request;
    const v1 = request.version === 1;
    const client = v1 ? { appid: request.appId, appidacr: '1', ...(user ? {} : { idp: v1Issuer(tenantId) }), ver: '1.0' } : { azp: request.appId, azpacr: '1', ver: '2.0' };
    const roles = request.roles?.length ? { roles: [...request.roles] } : {};
    const who = user
      ? {
        oid: user.objectId, scp: user.scopes.join(' '), idtyp: 'user',
        ...(user.displayName ? { name: user.displayName } : {}),
        ...(user.userPrincipalName ? { [v1 ? 'upn' : 'preferred_username']: user.userPrincipalName } : {}),
      }
      : { oid: request.servicePrincipalId, idtyp: 'app' };
    return { ...client, ...roles, tid: tenantId, ...who, uti: randomUUID() };
  }

  /**
   * Synchronous on purpose: emulator authorize hooks are plain predicates. Signature (this key, RS256 only),
   * issuer, audience, nbf and exp (against the stand-in's clock) are all checked; null when any fails.
   */
  verify(token: string, options: VerifyAccessTokenOptions): AccessTokenClaims | null {
    const result = this.check(token, options);
    return result.ok ? result.value : null;
  }

  /** As verify, with the reason of a refusal (for a stand-in's log or a test's assertion). */
  check(token: string, options: VerifyAccessTokenOptions): Result<AccessTokenClaims, AccessTokenRejection> {
    const { issuer, clock, tenantId } = this.settings;
    return verifyRs256AccessToken(token, { ...options, key: this.publicKey, kid: this.kid, issuers: { '1.0': v1Issuer(tenantId), '2.0': issuer }, now: clock.now() });
  }
}

export type { AccessTokenClaims } from './access-token-claims';
