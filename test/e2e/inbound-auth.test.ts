import { generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authSettings } from '../../bot/auth-settings';
import { mintChannelToken, type ChannelTokenClaims } from '@scbot/stand-ins/botframework';
import { personalMessage } from '../support/activities';
import { APP_ID, BOT_FRAMEWORK_SCOPE_AUDIENCE, postWithToken, startAuthHarness, type AuthHarness } from './bot-auth-harness';

/**
 * Inbound Bot Framework authentication through botbuilder's real validator: tokens minted locally with the
 * stand-in's RS256 key (or forged), checked against the OpenID metadata + JWKS stand-in. Every rejection is a 401
 * without detail (the SDK alone answers 500 for some), the turn never runs and nothing is sent to the connector.
 */
let h: AuthHarness;
let foreignKey: CryptoKey;
let conversation = 0;

beforeAll(async () => {
  // botframework-connector prints every rejected token's key to stderr; keep the test output readable.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  h = await startAuthHarness({ serviceUrlHosts: ['127.0.0.1:*'] });
  foreignKey = (await generateKeyPair('RS256')).privateKey;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

const MINUTE = 60_000;

function activity(overrides: Record<string, unknown> = {}) {
  conversation += 1;
  return { ...personalMessage('list', { serviceUrl: h.connector.serviceUrl, conversationId: `auth-conv-${conversation}` }), ...overrides };
}

/** A valid claim set for an activity; cases change one thing. */
function claims(overrides: Partial<ChannelTokenClaims> = {}): ChannelTokenClaims {
  return { appId: APP_ID, serviceUrl: h.connector.serviceUrl, issuedAt: new Date(), ...overrides };
}

describe('inbound authentication with a valid Bot Connector token', () => {
  it('answers 200, runs the turn and replies with the bot\'s own Entra token for the Bot Connector', async () => {
    const message = activity();
    const response = await postWithToken(h.app.url, message, await h.openId.mint(claims()));
    expect(response.status).toBe(200);
    expect(h.portCalls()).toBeGreaterThan(0);
    const [reply] = await h.connector.nextReplies(message.conversation.id, 1);
    expect(String(reply?.body.text ?? reply?.body.summary)).toMatch(/connection/i);
    const bearer = /^Bearer (\S+)$/.exec(reply?.authorization ?? '')?.[1] ?? '';
    expect(h.entra.verifyAccessToken(bearer, { audience: BOT_FRAMEWORK_SCOPE_AUDIENCE })).toMatchObject({ appid: APP_ID });
    expect(h.openId.metadataRequests()).toBe(1);
  });
});

type Forge = () => Promise<{ token?: string; activity?: Record<string, unknown> }>;

/** [case, expected SDK reason, forge] */
const forged: Array<[string, RegExp, Forge]> = [
  ['no Authorization header', /Request is not authorized/, async () => ({})],
  ['a token for another app (wrong audience)', /Invalid AppId/, async () => ({ token: await h.openId.mint(claims({ appId: '0b9e6c43-3c1f-4c8f-9d3c-2f1f1f1f1f1f' })) })],
  ['a token from another issuer', /No valid identity/, async () => ({ token: await h.openId.mint(claims({ issuer: 'https://evil.example.com' })) })],
  ['a token that expired 10 minutes ago', /expired/, async () => ({ token: await h.openId.mint(claims({ issuedAt: new Date(Date.now() - 70 * MINUTE), lifetimeSeconds: 3600 })) })],
  ['a token that is not valid for another hour (nbf)', /jwt not active/, async () => ({ token: await h.openId.mint(claims({ notBefore: new Date(Date.now() + 60 * MINUTE), lifetimeSeconds: 7200 })) })],
  ['a token signed by an unknown key id', /Signing Key could not be retrieved/, async () => ({ token: await mintChannelToken(claims(), { alg: 'RS256', key: foreignKey, kid: 'unknown-kid' }) })],
  ['a token signed by a foreign key that reuses the real kid', /invalid signature/, async () => ({ token: await mintChannelToken(claims(), { alg: 'RS256', key: foreignKey, kid: h.openId.kid }) })],
  ['an unsigned token (alg none)', /signature is required/, async () => ({ token: await mintChannelToken(claims(), { alg: 'none', kid: h.openId.kid }) })],
  ['an HS256 token signed with some secret', /invalid algorithm/, async () => ({ token: await mintChannelToken(claims(), { alg: 'HS256', secret: new TextEncoder().encode('some-shared-secret-of-32-bytes!!'), kid: h.openId.kid }) })],
  ['a token whose serviceurl claim names another connector', /ServiceUrl claim do not match/, async () => ({ token: await h.openId.mint(claims({ serviceUrl: 'https://smba.trafficmanager.net/teams/' })) })],
  ['a valid token on a channel the key is not endorsed for', /Could not validate endorsement/, async () => ({ token: await h.openId.mint(claims()), activity: { channelId: 'webchat' } })],
  ['a malformed bearer value', /No valid identity/, async () => ({ token: 'not.a.jwt' })],
];

describe('inbound authentication refuses', () => {
  it.each(forged)('%s: 401 without detail, no turn, no reply', async (_why, reason, forge) => {
    const before = { calls: h.connector.calls.length, port: h.portCalls(), tokens: h.entra.tokenRequests.length };
    const { token, activity: overrides } = await forge();
    const message = activity(overrides);
    const response = await postWithToken(h.app.url, message, token);
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'referenceId']);
    expect(body.error).toBe('Unauthorized');
    expect(h.portCalls()).toBe(before.port);
    expect(h.connector.calls.length).toBe(before.calls);
    expect(h.entra.tokenRequests.length).toBe(before.tokens);
    const logged = h.logLines.find((l) => l.includes(`"referenceId":"${String(body.referenceId)}"`));
    expect(logged).toContain('"msg":"activity rejected"');
    // The SDK's own reason, from our log: proves each case fails for the reason it was built for.
    expect((JSON.parse(logged ?? '{}') as { err?: { message?: string } }).err?.message).toMatch(reason);
    if (token) expect(h.logLines.join('\n')).not.toContain(token);
  });

  it('fetched the metadata once for the whole file (botbuilder caches it per URL)', () => {
    expect(h.openId.metadataRequests()).toBe(1);
  });
});

describe('Bot Framework endpoint overrides', () => {
  it('are all or nothing: an empty one fails at start-up instead of rejecting every token later', () => {
    const endpoints = {
      ToBotFromChannelOpenIdMetadataUrl: h.openId.metadataUrl, ToBotFromChannelTokenIssuer: '', ToBotFromEmulatorOpenIdMetadataUrl: h.openId.metadataUrl,
      ToChannelFromBotLoginUrl: 'https://localhost/t', ToChannelFromBotOAuthScope: BOT_FRAMEWORK_SCOPE_AUDIENCE, OAuthUrl: 'https://token.botframework.invalid',
      ValidateAuthority: false, CallerId: 'urn:botframework:azure',
    };
    expect(() => authSettings({ appId: APP_ID, endpoints })).toThrow(/ToBotFromChannelTokenIssuer is empty: set all of them or none/);
    expect(authSettings({ appId: APP_ID, endpoints: { ...endpoints, ToBotFromChannelTokenIssuer: h.openId.issuer } })).toMatchObject({ ValidateAuthority: 'false', MicrosoftAppId: APP_ID });
    expect(Object.keys(authSettings({ appId: APP_ID }))).toEqual(['MicrosoftAppId']);
  });
});
