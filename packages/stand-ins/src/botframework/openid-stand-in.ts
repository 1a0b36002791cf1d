/**
 * A local stand-in for the Bot Framework's OpenID metadata (login.botframework.com/v1/.well-known/
 * openidconfiguration) and its JWKS, with one RS256 signing key whose `endorsements` name the channels it may
 * speak for. Point botbuilder's ToBotFromChannelOpenIdMetadataUrl at `metadataUrl` and it validates tokens from
 * `mint()` exactly as it validates the real Bot Connector's. Plain http on 127.0.0.1: botframework-connector
 * fetches metadata with node-fetch and does not insist on https.
 *
 * botframework-connector caches metadata per URL for 24 h in a static map: start one stand-in (one key) per test
 * process and keep it, rather than one per test.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { BOT_FRAMEWORK_ISSUER, mintChannelToken, type ChannelTokenClaims } from './token-minter';

export interface BotFrameworkOpenIdOptions {
  /** Channels the key is endorsed for; default ['msteams']. */
  endorsements?: string[];
}

export interface BotFrameworkOpenIdStandIn {
  /** http://127.0.0.1:<port>/v1/.well-known/openidconfiguration */
  metadataUrl: string;
  jwksUrl: string;
  issuer: string;
  /** The kid of the one signing key. */
  kid: string;
  /** A channel token signed with the stand-in's key (RS256). */
  mint(claims: ChannelTokenClaims): Promise<string>;
  /** How many times the metadata document was fetched (the SDK caches it). */
  metadataRequests(): number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startBotFrameworkOpenIdStandIn(options: BotFrameworkOpenIdOptions = {}): Promise<BotFrameworkOpenIdStandIn> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `scbot-local-${randomUUID()}`;
  const jwk = await exportJWK(publicKey);
  const keys = { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: options.endorsements ?? ['msteams'] }] };
  let origin = '';
  let metadataCount = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed' });
    if (path === '/v1/.well-known/openidconfiguration') {
      metadataCount += 1;
      return send(res, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${origin}/v1/authorize`,
        jwks_uri: `${origin}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (path === '/v1/.well-known/keys') return send(res, 200, keys);
    return send(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    jwksUrl: `${origin}/v1/.well-known/keys`,
    issuer: BOT_FRAMEWORK_ISSUER,
    kid,
    mint: (claims) => mintChannelToken(claims, { alg: 'RS256', key: privateKey, kid }),
    metadataRequests: () => metadataCount,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
