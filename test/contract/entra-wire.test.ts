import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@scbot/stand-ins';
import { createLogger } from '../../src/logging';
import { call, makeClientCertificates, manualClock, type ClientCertificate, type HttpReply } from './entra-fixtures';

// The stand-in on the wire, as MSAL and the other stand-ins see it: metadata, keys, token endpoint, errors.
const DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const secretApp = { appId: randomUUID(), secret: `wire~${randomUUID()}` };
const certApp = randomUUID();
const keyApp = randomUUID();
const bareKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('Entra stand-in on the wire', () => {
  const clock = manualClock();
  const logLines: string[] = [];
  let entra: EntraEmulator;
  let certs: ClientCertificate[];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ certs, cleanup } = await makeClientCertificates(2));
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => { logLines.push(chunk.toString('utf8')); done(); } });
    entra = await startEntraEmulator({
      clock,
      logger: createLogger({ level: 'trace', destination }),
      applications: [
        { appId: secretApp.appId, passwordCredentials: [{ secretText: secretApp.secret }] },
        { appId: certApp, keyCredentials: [{ certificatePem: certs[0]!.certPem }] },
        { appId: keyApp, keyCredentials: [{ publicKeyPem: bareKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() }] },
      ],
    });
  });
  afterAll(async () => {
    await entra?.close();
    await cleanup?.();
  });

  const tokenUrl = () => `${entra.authorityHost}/${entra.tenantId}/oauth2/v2.0/token`;
  const post = (form: Record<string, string>) => call(tokenUrl(), entra.caCertificatePem, form);
  const bySecret = (extra: Record<string, string> = {}) =>
    post({ grant_type: 'client_credentials', client_id: secretApp.appId, client_secret: secretApp.secret, scope: `${DEVOPS}/.default`, ...extra });
  const expectEntraError = (reply: HttpReply, status: number, error: string, code: number) => {
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ error, error_codes: [code] });
    expect(reply.body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    for (const field of ['timestamp', 'trace_id', 'correlation_id']) expect(typeof reply.body[field]).toBe('string');
  };

  function assertion(options: { key: string | ReturnType<typeof createPrivateKey>; alg: 'PS256' | 'RS256'; header?: Record<string, string>; aud?: string; expSeconds?: number; clientId?: string }) {
    const nowS = Math.floor(clock.now().getTime() / 1000);
    const key = typeof options.key === 'string' ? createPrivateKey(options.key) : options.key;
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: options.alg, typ: 'JWT', ...options.header })
      .setIssuer(options.clientId ?? certApp).setSubject(options.clientId ?? certApp)
      .setAudience(options.aud ?? tokenUrl())
      .setIssuedAt(nowS).setNotBefore(nowS).setExpirationTime(nowS + (options.expSeconds ?? 600))
      .sign(key);
  }
  const thumb = (pem: string, hash: 'sha1' | 'sha256') => createHash(hash).update(new X509Certificate(pem).raw).digest('base64url');
  const byAssertion = (jwt: string, clientId = certApp) =>
    post({ grant_type: 'client_credentials', client_id: clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: jwt, scope: `${DEVOPS}/.default` });

  it('serves OpenID metadata and a JWKS with the signing key', async () => {
    const meta = await call(`${entra.authorityHost}/${entra.tenantId}/v2.0/.well-known/openid-configuration`, entra.caCertificatePem);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ issuer: entra.issuer, token_endpoint: tokenUrl(), jwks_uri: entra.jwksUrl });
    expect(meta.body.authorization_endpoint).toBe(`${entra.authorityHost}/${entra.tenantId}/oauth2/v2.0/authorize`);
    const keys = await call(entra.jwksUrl, entra.caCertificatePem);
    expect(keys.body.keys).toEqual([expect.objectContaining({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String), n: expect.any(String), e: 'AQAB' })]);
  });

  it('answers a client secret with a Bearer token whose aud is the scope\'s resource', async () => {
    const reply = await bySecret();
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    const claims = entra.verifyAccessToken(String(reply.body.access_token), { audience: DEVOPS });
    expect(claims).toMatchObject({ aud: DEVOPS, appid: secretApp.appId, iss: entra.v1Issuer, ver: '1.0', tid: entra.tenantId });
    const graph = await bySecret({ scope: 'https://graph.microsoft.com/.default' });
    expect(entra.verifyAccessToken(String(graph.body.access_token), { audience: 'https://graph.microsoft.com' })?.aud).toBe('https://graph.microsoft.com');
  });

  it('answers Entra-shaped errors for bad scope, unknown client, wrong tenant and grant', async () => {
    expectEntraError(await bySecret({ scope: `${DEVOPS}/user_impersonation` }), 400, 'invalid_scope', 70011);
    expectEntraError(await bySecret({ scope: 'not a scope' }), 400, 'invalid_scope', 70011);
    expectEntraError(await bySecret({ client_id: randomUUID() }), 400, 'unauthorized_client', 700016);
    expectEntraError(await bySecret({ client_secret: 'nope' }), 401, 'invalid_client', 7000215);
    expectEntraError(await bySecret({ grant_type: 'password' }), 400, 'unsupported_grant_type', 70003);
    expectEntraError(await post({ grant_type: 'client_credentials', client_id: secretApp.appId, scope: `${DEVOPS}/.default` }), 401, 'invalid_client', 7000218);
    const otherTenant = await call(`${entra.authorityHost}/${randomUUID()}/oauth2/v2.0/token`, entra.caCertificatePem, { grant_type: 'client_credentials' });
    expectEntraError(otherTenant, 400, 'invalid_request', 90002);
  });

  it('accepts PS256 (x5t#S256) and RS256 (x5t) assertions from the registered certificate', async () => {
    const pem = certs[0]!.certPem;
    const ps = await byAssertion(await assertion({ key: certs[0]!.keyPem, alg: 'PS256', header: { 'x5t#S256': thumb(pem, 'sha256') } }));
    expect(ps.status).toBe(200);
    const rs = await byAssertion(await assertion({ key: certs[0]!.keyPem, alg: 'RS256', header: { x5t: thumb(pem, 'sha1') } }));
    expect(rs.status).toBe(200);
    expect(entra.verifyAccessToken(String(rs.body.access_token), { audience: DEVOPS })?.appid).toBe(certApp);
  });

  it('accepts an assertion signed by a registered bare public key', async () => {
    const reply = await byAssertion(await assertion({ key: bareKey.privateKey, alg: 'RS256', clientId: keyApp }), keyApp);
    expect(reply.status).toBe(200);
  });

  it('refuses assertions with a foreign key, wrong audience, stale expiry or a forged thumbprint', async () => {
    const s256 = { 'x5t#S256': thumb(certs[0]!.certPem, 'sha256') };
    expectEntraError(await byAssertion(await assertion({ key: certs[1]!.keyPem, alg: 'PS256', header: { 'x5t#S256': thumb(certs[1]!.certPem, 'sha256') } })), 401, 'invalid_client', 700027);
    expectEntraError(await byAssertion(await assertion({ key: certs[1]!.keyPem, alg: 'PS256', header: s256 })), 401, 'invalid_client', 700027);
    expectEntraError(await byAssertion(await assertion({ key: certs[0]!.keyPem, alg: 'PS256', header: s256, aud: 'https://elsewhere.example/token' })), 401, 'invalid_client', 700038);
    expectEntraError(await byAssertion(await assertion({ key: certs[0]!.keyPem, alg: 'PS256', header: s256, expSeconds: -600 })), 401, 'invalid_client', 700024);
    expectEntraError(await byAssertion('not.a.jwt'), 401, 'invalid_client', 50027);
  });

  it('lets the registry add and remove secrets while running', async () => {
    const added = entra.registry.addPassword(secretApp.appId, clock.now(), { displayName: 'rotated' });
    expect(added.hint).toBe(added.secretText.slice(0, 3));
    expect(entra.registry.getApplication(secretApp.appId)!.passwordCredentials.map((p) => p.keyId)).toContain(added.keyId);
    expect(JSON.stringify(entra.registry.listApplications())).not.toContain(added.secretText);
    expect((await bySecret({ client_secret: added.secretText })).status).toBe(200);
    expect(entra.registry.removePassword(secretApp.appId, added.keyId)).toBe(true);
    expectEntraError(await bySecret({ client_secret: added.secretText }), 401, 'invalid_client', 7000215);
  });

  it('verifyAccessToken refuses other audiences, expired tokens and tokens from another authority', async () => {
    const token = String((await bySecret()).body.access_token);
    expect(entra.checkAccessToken(token, { audience: 'https://graph.microsoft.com' })).toEqual({ ok: false, error: 'audience' });
    const [header, payload] = token.split('.');
    expect(entra.checkAccessToken(`${header}.${payload}.`, { audience: DEVOPS })).toEqual({ ok: false, error: 'malformed' });
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', kid: 'x' })).toString('base64url');
    expect(entra.verifyAccessToken(`${noneHeader}.${payload}.sig`, { audience: DEVOPS })).toBeNull();
    const other = await startEntraEmulator({ tenantId: entra.tenantId, applications: [{ appId: secretApp.appId, passwordCredentials: [{ secretText: secretApp.secret }] }] });
    try {
      const foreign = await call(`${other.authorityHost}/${other.tenantId}/oauth2/v2.0/token`, other.caCertificatePem,
        { grant_type: 'client_credentials', client_id: secretApp.appId, client_secret: secretApp.secret, scope: `${DEVOPS}/.default` });
      expect(entra.verifyAccessToken(String(foreign.body.access_token), { audience: DEVOPS })).toBeNull();
    } finally {
      await other.close();
    }
    clock.advance(3601_000);
    expect(entra.checkAccessToken(token, { audience: DEVOPS })).toEqual({ ok: false, error: 'expired' });
  });

  it('never writes a secret to its log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(secretApp.secret);
  });
});
