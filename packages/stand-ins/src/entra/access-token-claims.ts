import type { JWTPayload } from 'jose';

/** Claims of an app-only access token, as Entra puts them in a v2.0 token. */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  appid: string;
  azp: string;
  tid: string;
  oid: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: '2.0';
}
