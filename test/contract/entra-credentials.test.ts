import { randomUUID } from 'node:crypto';
import { AuthenticationRequiredError, ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import { startEntraEmulator, type EntraEmulator } from '@scbot/stand-ins';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity';
import { call, makeClientCertificates, manualClock, type ClientCertificate } from './entra-fixtures';

// The real @azure/identity credentials against the Entra stand-in, trusted without NODE_EXTRA_CA_CERTS.
const DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const secretApp = { appId: randomUUID(), secret: `sec~${randomUUID()}` };
const certApp = { appId: randomUUID() };
const HOUR = 3600_000;

describe('Entra stand-in with the real @azure/identity credentials', () => {
  const clock = manualClock();
  let entra: EntraEmulator;
  let certs: ClientCertificate[];
  let cleanup: () => Promise<void>;
  let jwks: JSONWebKeySet;

  beforeAll(async () => {
    ({ certs, cleanup } = await makeClientCertificates(2));
    entra = await startEntraEmulator({
      clock,
      applications: [
        { appId: secretApp.appId, displayName: 'secret app', passwordCredentials: [{ secretText: secretApp.secret }] },
        { appId: certApp.appId, displayName: 'cert app', keyCredentials: [{ certificatePem: certs[0]!.certPem }] },
      ],
    });
    jwks = (await call(entra.jwksUrl, entra.caCertificatePem)).body as unknown as JSONWebKeySet;
  });
  afterAll(async () => {
    await entra?.close();
    await cleanup?.();
  });

  const trust = () => ({ trust: { caCertificatePem: entra.caCertificatePem } });
  const secretIdentity = (clientSecret: string, clientId = secretApp.appId) =>
    ({ kind: 'client-secret' as const, tenantId: entra.tenantId, clientId, clientSecret, authorityHost: entra.authorityHost });

  async function verifyWithJwks(token: string) {
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: entra.v1Issuer, audience: DEVOPS, currentDate: clock.now() });
    return { payload, protectedHeader };
  }

  it('issues a ClientSecretCredential a token that verifies against the published JWKS', async () => {
    const credential = createCredential(secretIdentity(secretApp.secret), trust());
    expect(credential).toBeInstanceOf(ClientSecretCredential);
    const token = await credential.getToken(AZURE_DEVOPS_SCOPE);
    const { payload, protectedHeader } = await verifyWithJwks(token!.token);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    // Azure DevOps takes v1.0 tokens: the client in `appid`, no `azp`.
    expect(payload).toMatchObject({ ver: '1.0', aud: DEVOPS, appid: secretApp.appId, tid: entra.tenantId });
    expect(payload).not.toHaveProperty('azp');
    expect(payload.oid).toBe(entra.registry.getApplication(secretApp.appId)!.servicePrincipalId);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(entra.verifyAccessToken(token!.token, { audience: DEVOPS })?.appid).toBe(secretApp.appId);
  });

  it('issues a ClientCertificateCredential (PS256 assertion, x5t#S256) a token for its app', async () => {
    const credential = createCredential(
      { kind: 'client-certificate', tenantId: entra.tenantId, clientId: certApp.appId, certificatePath: certs[0]!.path, authorityHost: entra.authorityHost },
      trust(),
    );
    expect(credential).toBeInstanceOf(ClientCertificateCredential);
    const token = await credential.getToken(AZURE_DEVOPS_SCOPE);
    const { payload } = await verifyWithJwks(token!.token);
    expect(payload).toMatchObject({ aud: DEVOPS, appid: certApp.appId, tid: entra.tenantId });
  });

  it('refuses a certificate that is not registered on the app', async () => {
    const credential = createCredential(
      { kind: 'client-certificate', tenantId: entra.tenantId, clientId: certApp.appId, certificatePath: certs[1]!.path, authorityHost: entra.authorityHost },
      trust(),
    );
    await expect(credential.getToken(AZURE_DEVOPS_SCOPE)).rejects.toThrow(/AADSTS700027/);
    expect(entra.tokenRequests.at(-1)).toMatchObject({ clientId: certApp.appId, outcome: 'AADSTS700027' });
  });

  it('fails the TLS handshake without the trust option: the certificate really is checked', async () => {
    const before = entra.tokenRequests.length;
    const credential = createCredential(secretIdentity(secretApp.secret));
    await expect(credential.getToken(AZURE_DEVOPS_SCOPE)).rejects.toThrow();
    expect(entra.tokenRequests.length).toBe(before);
  });

  it('rejects a wrong secret; the token source says IDENTITY.UNAVAILABLE without the secret', async () => {
    const wrong = `wrong~${randomUUID()}`;
    const credential = createCredential(secretIdentity(wrong), trust());
    await expect(credential.getToken(AZURE_DEVOPS_SCOPE)).rejects.toBeInstanceOf(AuthenticationRequiredError);
    const source = new RefreshingTokenSource(createCredential(secretIdentity(wrong), trust()), AZURE_DEVOPS_SCOPE, clock);
    const error = await source.getToken().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('IDENTITY.UNAVAILABLE');
    expect((error as AppError).message).toContain('AADSTS7000215');
    expect((error as AppError).message).not.toContain(wrong);
    expect(entra.tokenRequests.at(-1)).toMatchObject({ outcome: 'AADSTS7000215' });
    expect(JSON.stringify(entra.tokenRequests)).not.toContain(wrong);
  });

  it('refuses an unknown client id', async () => {
    const credential = createCredential(secretIdentity(secretApp.secret, randomUUID()), trust());
    await expect(credential.getToken(AZURE_DEVOPS_SCOPE)).rejects.toThrow(/AADSTS700016/);
  });

  it('honours the start and end dates of a secret against the injected clock', async () => {
    const expiring = { appId: randomUUID(), secret: `exp~${randomUUID()}` };
    const future = { appId: randomUUID(), secret: `fut~${randomUUID()}` };
    const now = clock.now().getTime();
    entra.registry.registerApplication({ appId: expiring.appId, passwordCredentials: [{ secretText: expiring.secret, endDateTime: new Date(now + HOUR).toISOString() }] });
    entra.registry.registerApplication({ appId: future.appId, passwordCredentials: [{ secretText: future.secret, startDateTime: new Date(now + 24 * HOUR).toISOString() }] });

    await expect(createCredential(secretIdentity(expiring.secret, expiring.appId), trust()).getToken(AZURE_DEVOPS_SCOPE)).resolves.toBeTruthy();
    await expect(createCredential(secretIdentity(future.secret, future.appId), trust()).getToken(AZURE_DEVOPS_SCOPE)).rejects.toThrow(/AADSTS7000215/);

    clock.advance(2 * HOUR);
    // A new credential instance: its token cache starts empty, so the request really reaches the stand-in.
    await expect(createCredential(secretIdentity(expiring.secret, expiring.appId), trust()).getToken(AZURE_DEVOPS_SCOPE)).rejects.toThrow(/AADSTS7000222/);
    expect(entra.tokenRequests.at(-1)).toMatchObject({ clientId: expiring.appId, outcome: 'AADSTS7000222' });
  });
});
