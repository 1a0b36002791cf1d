/**
 * Mints the JWTs the Bot Connector puts in `Authorization: Bearer …` when it posts an activity to a bot, so tests
 * can drive botbuilder's real inbound validation. Every knob a hostile or broken token might turn is exposed:
 * audience, issuer, serviceurl claim, times, kid, signing key and algorithm (including an unsigned `alg: none`).
 */
import { SignJWT, type CryptoKey } from 'jose';

/** The issuer of channel tokens in the public cloud (botframework-connector's ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenClaims {
  /** The bot's Microsoft App Id: the `aud` claim. */
  appId: string;
  /** The `serviceurl` claim: must equal the activity's serviceUrl. */
  serviceUrl: string;
  /** Default BOT_FRAMEWORK_ISSUER. */
  issuer?: string;
  /** Issue time; `nbf` defaults to it. The SDK checks times on the wall clock, so pass the real time. */
  issuedAt: Date;
  /** Lifetime from issuedAt in seconds; default 3600. Negative values make an already-expired token. */
  lifetimeSeconds?: number;
  /** Override `nbf` (e.g. in the future). */
  notBefore?: Date;
}

export type ChannelTokenSigner =
  | { alg: 'RS256'; key: CryptoKey; kid: string }
  | { alg: 'HS256'; secret: Uint8Array; kid: string }
  | { alg: 'none'; kid: string };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function payloadOf(claims: ChannelTokenClaims): Record<string, unknown> {
  const iat = seconds(claims.issuedAt);
  return {
    iss: claims.issuer ?? BOT_FRAMEWORK_ISSUER,
    aud: claims.appId,
    serviceurl: claims.serviceUrl,
    iat,
    nbf: claims.notBefore ? seconds(claims.notBefore) : iat,
    exp: iat + (claims.lifetimeSeconds ?? 3600),
  };
}

/** A compact JWT as the Bot Connector would send it (or as an attacker might forge it). */
export async function mintChannelToken(claims: ChannelTokenClaims, signer: ChannelTokenSigner): Promise<string> {
  const payload = payloadOf(claims);
  if (signer.alg === 'none') {
    // jose's UnsecuredJWT drops `kid`; a forged token keeps it so it reaches the key lookup.
    return `${base64url({ alg: 'none', typ: 'JWT', kid: signer.kid })}.${base64url(payload)}.`;
  }
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: signer.alg, typ: 'JWT', kid: signer.kid });
  return jwt.sign(signer.alg === 'RS256' ? signer.key : signer.secret);
}
