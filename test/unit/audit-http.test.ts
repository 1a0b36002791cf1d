import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { StoreAuditLog } from '../../src/audit';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { EmbeddedStore } from '../../src/store';
import type { ConnectorCall } from '@scbot/stand-ins/botframework';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity, USER } from '../support/activities';
import { memoryLogger } from './commands-fixture';
import { CANARY, ENDPOINTS, NOW, PROJECTS } from './planners-fixture';

/**
 * The wiring over HTTP: a Teams message → the bot → `requested` recorded with the sender's Entra object id and
 * the activity id as correlation; `audit` answers with the card. One app gets a log passed in, one uses the default.
 */
let connector: ConnectorStandIn;
const apps: RunningApp[] = [];
const shared = new EmbeddedStore();
const audit = new StoreAuditLog(shared);
let counter = 0;

async function start(withLog: boolean): Promise<RunningApp> {
  const endpoints = new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS, {});
  const app = await startTestApp({ devops: endpoints, logger: memoryLogger().logger, clock: { now: () => NOW }, ...(withLog ? { store: shared } : {}) });
  apps.push(app);
  return app;
}

async function say(app: RunningApp, text: string): Promise<{ id: string; reply: ConnectorCall }> {
  counter += 1;
  const activity = personalMessage(text, { serviceUrl: connector.serviceUrl, conversationId: `audit-conv-${counter}` });
  expect((await postActivity(app.url, activity)).status).toBe(200);
  const [reply] = await connector.nextReplies(`audit-conv-${counter}`, 1);
  return { id: activity.id, reply: reply as ConnectorCall };
}

describe('audit over HTTP', () => {
  beforeAll(async () => {
    connector = new ConnectorStandIn();
    await connector.start();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await connector?.close();
  });

  it('records who asked (Entra object id) with the activity as correlation, and shows it on the audit card', async () => {
    const app = await start(true);
    const { id } = await say(app, 'rotate sc-prod');
    const [event] = await audit.query();
    expect(event).toMatchObject({ kind: 'requested', actor: { ...USER }, correlationId: id, command: 'rotate sc-prod' });
    const { reply } = await say(app, 'audit sc-prod');
    const seen = JSON.stringify(reply.body);
    expect((reply.body.text ?? reply.body.summary)).toBe('Audit trail for sc-prod: 1 event, newest first (last 20 asked).');
    expect(seen).toContain(USER.aadObjectId);
    expect(seen).toContain(event!.planId);
    expect(seen).not.toContain(CANARY);
    expect(JSON.stringify(await audit.query())).not.toContain(CANARY);
  });

  it('keeps an audit trail by default when the composition root passes none', async () => {
    const app = await start(false);
    expect((await say(app, 'audit')).reply.body.summary).toBe('No audit events.');
    await say(app, 'rotate sc-staging');
    expect((await say(app, 'audit sc-staging')).reply.body.summary).toBe('Audit trail for sc-staging: 1 event, newest first (last 20 asked).');
  });
});
