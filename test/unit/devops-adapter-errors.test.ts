import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { CountingTokens, failureOf, ENDPOINT_PATH, ENDPOINTS_PATH, recordingSleep, ScriptedDevOps } from './devops-test-server';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJzZWNyZXQtdG9rZW4tdmFsdWUifQ';
const SECRET = 'super-secret-client-key-value';
const ID = '22222222-2222-2222-2222-222222222222';
const endpoint: ServiceEndpoint = {
  id: ID, name: 'sc-prod', type: 'azurerm',
  authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: 't', serviceprincipalid: 'a', serviceprincipalkey: SECRET } },
};
const SIGN_IN_PAGE = '<html><head><title>Azure DevOps Services | Sign In</title></head><body>sign in</body></html>';
const DETAILS_PATH = /\/contoso\/Proj\/_apis\/serviceendpoint\/endpoints\/[^/]+$/i;

describe('AzureDevOpsServiceEndpoints errors', () => {
  let server: ScriptedDevOps;
  const adapter = () => new AzureDevOpsServiceEndpoints({
    orgUrl: server.orgUrl, tokens: new CountingTokens(TOKEN), requestTimeoutMs: 2_000, maxAttempts: 2, sleep: recordingSleep().sleep,
  });

  beforeEach(async () => {
    server = await new ScriptedDevOps().start();
  });
  afterEach(() => server.close());

  it.each([
    [401, 'DEVOPS.UNAUTHORIZED'],
    [403, 'DEVOPS.FORBIDDEN'],
    [409, 'DEVOPS.CONFLICT'],
    [400, 'DEVOPS.BAD_REQUEST'],
    [500, 'DEVOPS.UNAVAILABLE'],
  ])('maps HTTP %i on a list to %s', async (status, code) => {
    server.script('GET', ENDPOINTS_PATH, [{ status, body: { message: 'TF400813: The user is not authorized', typeKey: 'X' } }], true);
    await expect(adapter().list('Proj')).rejects.toMatchObject({ code, status });
  });

  it('treats a 203 HTML sign-in page as unauthorized, not as an empty answer', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 203, raw: SIGN_IN_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } }]);
    await expect(adapter().list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.UNAUTHORIZED', status: 203 });
  });

  it('treats a 200 HTML page on details as unauthorized instead of "no such connection"', async () => {
    server.script('GET', DETAILS_PATH, [{ status: 200, raw: SIGN_IN_PAGE, headers: { 'content-type': 'text/html' } }]);
    await expect(adapter().get('Proj', ID)).rejects.toMatchObject({ code: 'DEVOPS.UNAUTHORIZED' });
  });

  it('treats an HTML answer during discovery as unauthorized', async () => {
    server.script('OPTIONS', /\/_apis\/Location$/i, [{ status: 203, raw: SIGN_IN_PAGE, headers: { 'content-type': 'text/html' } }]);
    await expect(adapter().list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.UNAUTHORIZED' });
  });

  it('keeps the service message of a 400: it explains the refusal', async () => {
    const refusal = 'Converting endpoint type azurerm scheme from WorkloadIdentityFederation to WorkloadIdentityFederation is neither an upgrade or a downgrade and is not supported.';
    server.script('PUT', ENDPOINT_PATH, [{ status: 400, body: { message: refusal, typeKey: 'ArgumentException', eventId: 0 } }]);
    const error = await failureOf(adapter().update(endpoint, 'ConvertAuthenticationScheme'));
    expect(error).toMatchObject({ code: 'DEVOPS.BAD_REQUEST', status: 400 });
    expect(error.message).toContain(refusal);
  });

  it('never puts the token or the request body in an error message', async () => {
    server.script('PUT', ENDPOINT_PATH, [{ status: 400, body: { message: `bad token ${TOKEN}` } }]);
    server.script('PATCH', ENDPOINT_PATH, [{ status: 500, raw: `echo ${SECRET} Bearer ${TOKEN}`, headers: { 'content-type': 'text/plain' } }]);
    const subject = adapter();
    const errors = [
      await failureOf(subject.update(endpoint)),
      await failureOf(subject.share(ID, [{ projectReference: { id: 'p2' }, name: SECRET }])),
    ];
    for (const error of errors) {
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain(SECRET);
      expect(error.cause).toBeUndefined();
    }
    expect(errors[0]?.message).toContain('[redacted]');
  });

  it('answers null for an unknown id, whether the service says 200-empty or 404', async () => {
    server.script('GET', DETAILS_PATH, [{ status: 200 }, { status: 404, body: { message: 'nope' } }, { status: 200, body: null }]);
    const subject = adapter();
    expect(await subject.get('Proj', ID)).toBeNull();
    expect(await subject.get('Proj', ID)).toBeNull();
    expect(await subject.get('Proj', ID)).toBeNull();
  });

  it('reports DEVOPS.NOT_FOUND when updating a connection that does not exist', async () => {
    server.script('PUT', ENDPOINT_PATH, [{ status: 404, body: { message: 'not found' } }]);
    await expect(adapter().update(endpoint)).rejects.toMatchObject({ code: 'DEVOPS.NOT_FOUND' });
  });

  it('reports DEVOPS.UNAVAILABLE when nothing listens', async () => {
    const url = server.orgUrl;
    await server.close();
    const subject = new AzureDevOpsServiceEndpoints({ orgUrl: url, tokens: new CountingTokens(), requestTimeoutMs: 1_000, maxAttempts: 2, sleep: recordingSleep().sleep });
    await expect(subject.list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE' });
  });

  it('reports IDENTITY.UNAVAILABLE when no token can be had, without calling the service', async () => {
    const subject = new AzureDevOpsServiceEndpoints({
      orgUrl: server.orgUrl, requestTimeoutMs: 1_000, maxAttempts: 3, sleep: recordingSleep().sleep,
      tokens: { getToken: () => Promise.reject(new Error(`token endpoint said ${TOKEN}`)) },
    });
    const error = await failureOf(subject.list('Proj'));
    expect(error).toMatchObject({ code: 'IDENTITY.UNAVAILABLE' });
    expect(error.message).not.toContain(TOKEN);
    expect(server.requests).toEqual([]);
  });
});
