/**
 * GraphSignInNames against the Graph stand-in (the demo seed's users): GET /v1.0/users/{id}?$select=userPrincipalName,mail
 * finds the names the role check looks people up by in Azure DevOps; an unknown person has none; an id that is not a
 * GUID is never sent; a failing Graph rejects (the gate then looks the person up by object id alone: fewer matches).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GRAPH_SCOPE } from '../../src/azure/index';
import { isAppError } from '../../src/domain/errors';
import { GraphSignInNames } from '../../src/policy/graph-sign-in-names';
import { capturedLogger } from './graph-fixtures';

const BEN = '00000000-0000-0000-0000-0000000000b2';
let cloud: LocalCloud;
let names: GraphSignInNames;
const clock = new ManualClock();

beforeAll(async () => {
  const log = capturedLogger();
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH, clock), logger: log.logger });
  const tokens = new RefreshingTokenSource(createCredential(cloud.identityConfig, { trust: cloud.trust }), GRAPH_SCOPE);
  names = new GraphSignInNames({ tokens, graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0, logger: log.logger }, clock);
});
afterAll(async () => cloud?.close());

describe('GraphSignInNames', () => {
  it('reads a person\'s userPrincipalName once a minute at most, and nothing for strangers or non-GUIDs', async () => {
    const before = cloud.graph.requests.length;
    expect(await names.namesOf(BEN)).toEqual(['ben@contoso.example']);
    expect(await names.namesOf(BEN)).toEqual(['ben@contoso.example']);
    expect(await names.namesOf('00000000-0000-0000-0000-00000000ffff')).toEqual([]);
    expect(await names.namesOf('00000000-0000-0000-0000-0000000000020')).toEqual([]);
    expect(cloud.graph.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /v1.0/users/${BEN} 200`, 'GET /v1.0/users/00000000-0000-0000-0000-00000000ffff 404',
    ]);
  });

  it('rejects when Graph fails (never an empty answer that could be mistaken for "no names")', async () => {
    clock.advance(61_000);
    cloud.graph.failNext(1, 503);
    const failed = await names.namesOf(BEN).then(() => undefined, (e: unknown) => e);
    expect(isAppError(failed) && failed.code).toBe('GRAPH.UNAVAILABLE');
  });
});
