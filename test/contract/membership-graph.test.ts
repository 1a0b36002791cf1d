import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSeed, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GRAPH_SCOPE } from '../../src/azure/index';
import { AppError } from '../../src/domain/errors';
import { systemClock } from '../../src/domain/time';
import { GraphMembershipSource } from '../../src/policy/index';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { capturedLogger, jsonCall, testSeed } from './graph-fixtures';
import { DIRECTORY, describeMembershipContract, directorySeed, expectedGroups } from './membership.contract';

let cloud: LocalCloud;
let tokens: RefreshingTokenSource;
const log = capturedLogger();

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: parseSeed({ ...testSeed(systemClock), ...directorySeed }, systemClock), logger: log.logger });
  tokens = new RefreshingTokenSource(createCredential(cloud.identityConfig, { trust: cloud.trust }), GRAPH_SCOPE);
});
afterAll(async () => cloud?.close());

const graphSource = (maxRetries = 0) => new GraphMembershipSource({ tokens, graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries, logger: log.logger });

describeMembershipContract('in-memory fake', () => new InMemoryMembershipSource(expectedGroups));
describeMembershipContract('Graph adapter against the Graph stand-in', () => graphSource());

describe('GraphMembershipSource on the wire', () => {
  it('calls POST /v1.0/users/{id}/getMemberGroups, and never for an id that is not a GUID', async () => {
    const before = cloud.graph.requests.length;
    await graphSource().groupsOf(DIRECTORY.users.approver);
    await graphSource().groupsOf('not-a-guid');
    const made = cloud.graph.requests.slice(before);
    expect(made).toEqual([{ method: 'POST', path: `/v1.0/users/${DIRECTORY.users.approver}/getMemberGroups`, status: 200, callerAppId: cloud.bot.appId }]);
  });

  it('fails closed with GRAPH.UNAVAILABLE when Graph is down', async () => {
    cloud.graph.failNext(1, 503);
    const error = await graphSource(0).groupsOf(DIRECTORY.users.approver).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('GRAPH.UNAVAILABLE');
  });

  it('rides out one 503 with the pipeline retry', async () => {
    cloud.graph.failNext(1, 503);
    expect((await graphSource(2).groupsOf(DIRECTORY.users.nestedApprover)).sort()).toEqual([...expectedGroups[DIRECTORY.users.nestedApprover] ?? []].sort());
  });

  it('never logs a token', () => {
    expect(log.lines.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

describe('the Graph stand-in getMemberGroups route', () => {
  const call = async (path: string, method: string, body?: unknown) =>
    jsonCall(`${cloud.graphUrl}${path}`, cloud.trust.caCertificatePem, { method, token: await tokens.getToken(), body });
  const path = (id: string) => `/v1.0/users/${id}/getMemberGroups`;

  it('answers a Collection(Edm.String); securityEnabledOnly drops groups that are not security-enabled', async () => {
    const all = await call(path(DIRECTORY.users.requester), 'POST', { securityEnabledOnly: false });
    expect(all.status).toBe(200);
    expect(all.body['@odata.context']).toMatch(/#Collection\(Edm\.String\)$/);
    const security = await call(`/v1.0/directoryObjects/${DIRECTORY.users.requester}/getMemberGroups`, 'POST', { securityEnabledOnly: true });
    expect(security.body.value).toEqual([DIRECTORY.groups.requesters]);
  });

  it.each([
    ['no securityEnabledOnly', 'POST', {}, 400, 'Request_BadRequest'],
    ['GET', 'GET', undefined, 405, 'Request_BadRequest'],
  ])('refuses %s', async (_, method, body, status, code) => {
    const reply = await call(path(DIRECTORY.users.approver), method, body);
    expect(reply.status).toBe(status);
    expect((reply.body.error as { code: string }).code).toBe(code);
  });

  it('answers 404 Request_ResourceNotFound for an unknown user, and 401 without a token', async () => {
    const unknown = await call(path('00000000-0000-4000-8000-0000000000ff'), 'POST', { securityEnabledOnly: false });
    expect(unknown.status).toBe(404);
    expect((unknown.body.error as { code: string }).code).toBe('Request_ResourceNotFound');
    const anonymous = await jsonCall(`${cloud.graphUrl}${path(DIRECTORY.users.approver)}`, cloud.trust.caCertificatePem, { method: 'POST', body: { securityEnabledOnly: false } });
    expect(anonymous.status).toBe(401);
  });
});
