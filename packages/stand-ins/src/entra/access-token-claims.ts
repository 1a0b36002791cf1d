import type { JWTPayload } from 'jose';

/**
 * Claims of an access token: app-only, or delegated (a user signed in through a client app: `scp`, `name`). Entra issues the version the resource asks for (its app registration's
 * `api.requestedAccessTokenVersion`; null or 1 give v1.0, entra-docs identity-platform/access-tokens.md "Token
 * formats"), whichever endpoint the client used: `appid`/`appidacr` only in v1.0, `azp`/`azpacr` only in v2.0
 * (access-token-claims-reference.md). `roles` carries the application permissions granted on the resource, absent
 * when there are none.
 */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  tid: string;
  oid: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: '1.0' | '2.0';
  appid?: string;
  azp?: string;
  roles?: string[];
  /** Delegated tokens only: the consented scopes, space-separated. */
  scp?: string;
  /** `app` for app-only tokens, `user` for delegated ones. */
  idtyp?: 'app' | 'user';
  name?: string;
}

/** The calling client's app id, whichever token version carried it. */
export const clientAppIdOf = (claims: AccessTokenClaims): string => claims.appid ?? claims.azp ?? '';
