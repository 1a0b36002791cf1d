import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { StoreAuditLog } from '../../src/audit';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { EmbeddedStore } from '../../src/store';
import type { ConnectorCall } from '@scbot/stand-ins/botframework';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity, TENANT_ID, USER } from '../support/activities';
import { memoryLogger } from './commands-fixture';
import { ENDPOINTS, NOW, PROJECTS } from './planners-fixture';

/**
 * The gate's wiring over HTTP: the bot layer takes the sender's Entra object id and the activity's tenant and
 * conversation, the registry refuses or runs. One app per policy; replies are read from the connector stand-in.
 */
const GROUP = 'a7000000-0000-4000-8000-0000000000a3';
let connector: ConnectorStandIn;
const apps: RunningApp[] = [];
let counter = 0;

async function start(policy: PolicyConfig | undefined, membership?: InMemoryMembershipSource) {
  const store = new EmbeddedStore();
  const audit = new StoreAuditLog(store);
  const endpoints = new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS, {});
  const app = await startTestApp(
    { devops: endpoints, logger: memoryLogger().logger, clock: { now: () => NOW }, store, ...(membership ? { membership } : {}) },
    policy ? { policy } : {},
  );
  apps.push(app);
  return { app, audit };
}

async function say(app: RunningApp, text: string, patch: (a: ReturnType<typeof personalMessage>) => object = (a) => a): Promise<ConnectorCall> {
  counter += 1;
  const conversationId = `policy-conv-${counter}`;
  const activity = patch(personalMessage(text, { serviceUrl: connector.serviceUrl, conversationId }));
  expect((await postActivity(app.url, activity)).status).toBe(200);
  const [reply] = await connector.nextReplies(conversationId, 1);
  return reply as ConnectorCall;
}

const textOf = (reply: ConnectorCall) => String(reply.body.text ?? '');

describe('the request gate over HTTP', () => {
  beforeAll(async () => {
    connector = new ConnectorStandIn();
    await connector.start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await connector?.close();
  });

  it('refuses a sender who is not a requester, and records who and why', async () => {
    const { app, audit } = await start({ ...DENY_ALL_POLICY, tenants: [TENANT_ID], conversations: ['*'] });
    const reply = await say(app, 'rotate sc-prod');
    expect(textOf(reply)).toMatch(/^You are not allowed to request changes\. \(`rotate sc-prod` was not run\.\)/);
    const [event] = await audit.query();
    expect(event).toMatchObject({ kind: 'refused', reason: 'NOT_A_REQUESTER', actor: { aadObjectId: USER.aadObjectId }, command: 'rotate sc-prod' });
  });

  it('lets a member of a requester group through (groups looked up from the sender\'s Entra id)', async () => {
    const membership = new InMemoryMembershipSource({ [USER.aadObjectId]: [GROUP] });
    const { app } = await start({ ...DENY_ALL_POLICY, tenants: [TENANT_ID], conversations: ['*'], requesters: { users: [], groups: [GROUP] } }, membership);
    expect(textOf(await say(app, 'rotate sc-prod'))).not.toMatch(/was not run/);
    expect(membership.asked).toEqual([USER.aadObjectId]);
  });

  it('takes the tenant from the activity: another tenant is refused even for reads when an allow-list is set', async () => {
    const { app } = await start({ ...DENY_ALL_POLICY, tenants: [TENANT_ID] });
    const foreign = (a: ReturnType<typeof personalMessage>) => ({
      ...a, conversation: { ...a.conversation, tenantId: 'f0000000-0000-4000-8000-000000000000' }, channelData: { tenant: { id: 'f0000000-0000-4000-8000-000000000000' } },
    });
    expect(textOf(await say(app, 'list', foreign))).toMatch(/^Your organization \(tenant\) is not allowed to use this bot\./);
    expect(textOf(await say(app, 'list'))).not.toMatch(/was not run/);
  });

  it('uses the local demo policy when none is passed and there is no app id', async () => {
    const { app } = await start(undefined);
    expect(textOf(await say(app, 'rotate sc-prod'))).not.toMatch(/was not run/);
    const anonymous = (a: ReturnType<typeof personalMessage>) => ({ ...a, from: { id: '29:guest', name: 'Guest' } });
    expect(textOf(await say(app, 'rotate sc-prod', anonymous))).toMatch(/^You are not allowed to request changes\./);
  });
});
