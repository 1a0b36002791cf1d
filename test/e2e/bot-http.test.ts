import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { errorText } from '../../src/commands';
import { AzureDevOpsServiceEndpoints } from '../../src/devops';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { isFailed, usesRetiringIssuer } from '../../src/domain/endpoint';
import type { ErrorCode } from '../../src/domain/errors';
import type { DevOpsEmulator, Seed } from '@scbot/stand-ins';
import { DEMO_SEED_PATH, loadSeed, startDevOpsEmulator } from '@scbot/stand-ins';
import { systemClock } from '../../src/domain/time';
import { createLogger } from '../../src/logging';
import type { ConnectorCall } from '@scbot/stand-ins/botframework';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { botAdded, channelMention, commandTap, personalMessage, postActivity, submitMessage } from '../support/activities';

/**
 * HTTP in, HTTP out: Teams-shaped activities POSTed to the real server (restify + CloudAdapter), the real Azure
 * DevOps adapter talking to the local emulator seeded with the demo data, replies recorded by a connector stand-in.
 * Assertions are on what a user sees: the reply text and the card.
 */
const SECRET_PREFIX = 'SEEDSECRET-';

let seed: Seed;
let emulator: DevOpsEmulator;
let connector: ConnectorStandIn;
let app: RunningApp;
const logLines: string[] = [];
let conversationCounter = 0;

/** A second connection with the name of an existing one, in another project, unless the seed already has one. */
function ambiguousName(data: Seed): string {
  const byName = new Map<string, Set<string>>();
  for (const e of data.endpoints) for (const ref of e.serviceEndpointProjectReferences ?? []) {
    const key = ref.name.toLowerCase();
    byName.set(key, (byName.get(key) ?? new Set()).add(e.id));
  }
  const existing = [...byName.entries()].find(([, ids]) => ids.size > 1);
  if (existing) return existing[0];
  const first = data.endpoints.find((e) => e.name !== 'sc-prod' && e.serviceEndpointProjectReferences?.length === 1 && !isFailed(e));
  const other = data.projects.find((p) => !first?.serviceEndpointProjectReferences?.some((r) => r.projectReference.id === p.id));
  if (!first || !other) throw new Error('the seed needs two projects and one connection');
  const twinName = first.serviceEndpointProjectReferences?.[0]?.name ?? first.name;
  data.endpoints.push({
    ...structuredClone(first), id: 'eeeeeeee-0000-4000-8000-00000000e2e0', name: twinName,
    serviceEndpointProjectReferences: [{ projectReference: { id: other.id, name: other.name }, name: twinName }],
  });
  return twinName.toLowerCase();
}

/** The failed connections a user should see: one row per project the connection is in, by its name there. */
function expectedFailedNames(data: Seed): string[] {
  return data.endpoints.filter((e: ServiceEndpoint) => isFailed(e))
    .flatMap((e) => (e.serviceEndpointProjectReferences ?? []).map((r) => r.name)).sort();
}

function seen(call: ConnectorCall): { text: string; card: string; all: string } {
  const attachments = (call.body.attachments ?? []) as { contentType: string; content: unknown }[];
  const card = attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => JSON.stringify(a.content)).join('\n');
  const text = String(call.body.text ?? call.body.summary ?? '');
  return { text, card, all: `${text}\n${card}` };
}

/** Send one message as the user (1:1 chat or channel @mention) and return the bot's single reply. */
async function say(command: string, where: 'personal' | 'channel' = 'personal') {
  conversationCounter += 1;
  const options = { serviceUrl: connector.serviceUrl, conversationId: `${where}-conv-${conversationCounter}` };
  const activity = where === 'channel' ? channelMention(command, options) : personalMessage(command, options);
  const response = await postActivity(app.url, activity);
  expect(response.status).toBe(200);
  const [reply] = await connector.nextReplies(options.conversationId, 1);
  return seen(reply as ConnectorCall);
}

const rowNames = (card: string) => [...card.matchAll(/\*\*(.+?)\*\* ·/g)].map((m) => m[1] as string);

describe('scbot over HTTP with the demo seed', () => {
  let twin = '';
  beforeAll(async () => {
    seed = await loadSeed(DEMO_SEED_PATH);
    twin = ambiguousName(seed);
    const destination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
    const logger = createLogger({ level: 'debug', destination });
    emulator = await startDevOpsEmulator({ seed });
    const endpoints = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 'x' }, requestTimeoutMs: 5_000, maxAttempts: 1 });
    connector = new ConnectorStandIn();
    await connector.start();
    app = await startTestApp({ devops: endpoints, logger, clock: systemClock });
  });

  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await emulator?.close();
  });

  it('answers GET /healthz', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers the Playground\'s probes (HEAD /api/messages, GET /) without a warning in the log', async () => {
    const before = logLines.length;
    expect((await fetch(`${app.url}/api/messages`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect((await fetch(`${app.url}/nowhere`)).status).toBe(404);
    const warnings = logLines.slice(before).map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);
  });

  it('a command button (Action.Execute, verb command) answers the invoke with a message and posts the answer as a new one', async () => {
    const conversationId = 'button-conv';
    const tap = commandTap('list failed', { serviceUrl: connector.serviceUrl, conversationId });
    const replies = connector.nextReplies(conversationId, 1);
    const response = await postActivity(app.url, tap);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Sent: list failed' });
    const [reply] = await replies;
    expect(seen(reply as ConnectorCall).text).toMatch(/^Failed service connections: /);
    // One message: the card alone, its summary where notifications and card-less clients look.
    expect(reply!.body.text).toBeUndefined();
    const attachments = reply!.body.attachments as Array<{ content: { fallbackText?: string } }>;
    expect(attachments.length).toBe(1);
    expect(String(reply!.body.summary)).toMatch(/^Failed service connections: /);
    expect(attachments[0]!.content.fallbackText).toBe(reply!.body.summary);
  });

  it('a command button without a usable command is a bad request (400), and nothing is posted', async () => {
    const conversationId = 'bad-button-conv';
    const tap = { ...commandTap('x', { serviceUrl: connector.serviceUrl, conversationId }), value: { action: { type: 'Action.Execute', verb: 'command', data: { command: 42 } } } };
    const response = await postActivity(app.url, tap);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { type: string }).type).toBe('application/vnd.microsoft.error');
    expect(connector.repliesTo(conversationId)).toEqual([]);
  });

  it('`list failed` in a channel (@mention) lists exactly the seed\'s failed connections', async () => {
    const reply = await say('list failed', 'channel');
    expect(reply.text).toMatch(/^Failed service connections: /);
    expect(rowNames(reply.card).sort()).toEqual(expectedFailedNames(seed));
  });

  it('`show sc-prod` in a personal chat shows its details and no secret', async () => {
    const prod = seed.endpoints.find((e) => e.name === 'sc-prod');
    const reply = await say('show sc-prod');
    expect(reply.text).toMatch(/^sc-prod: /);
    expect(reply.card).toContain(prod?.id);
    expect(reply.card).toContain(prod?.type);
    expect(reply.card).toContain(prod?.authorization?.scheme);
    expect(reply.all).not.toContain(SECRET_PREFIX);
  });

  it('finds a Unicode name typed with smart quotes, and warns about the retiring issuer', async () => {
    const unicode = seed.endpoints.find((e) => /[^\p{ASCII}]/u.test(e.name) && e.name.includes(' '));
    expect(unicode).toBeDefined();
    expect((await say(`show “${unicode?.name}”`, 'channel')).text.startsWith(`${unicode?.name}: `)).toBe(true);
    const retiring = seed.endpoints.filter((e) => usesRetiringIssuer(e) && !isFailed(e));
    expect(retiring.length).toBeGreaterThan(0);
    for (const e of retiring) expect((await say(`show "${e.name}"`)).card).toContain('retires on 2027-07-01');
  });

  it('an unknown command gets the closest command', async () => {
    const reply = await say('lsit failed', 'channel');
    expect(reply.text).toContain('I don\'t know the command `lsit`. Did you mean `list failed`?');
  });

  it('an unknown connection gets "did you mean"', async () => {
    const reply = await say('show sc-prd');
    expect(reply.text).toContain('I can\'t find a connection called "sc-prd". Did you mean `sc-prod`');
  });

  it('an ambiguous name asks which project', async () => {
    const reply = await say(`show ${twin}`);
    expect(reply.text).toMatch(/exists in \d+ projects: which one\?/);
    expect(reply.card).toContain(`"command":"show ${twin} in `);
  });

  it('a card button (Action.Submit value) runs its command', async () => {
    const conversationId = 'submit-conv';
    await postActivity(app.url, submitMessage({ msteams: { type: 'imBack', value: 'help' } }, { serviceUrl: connector.serviceUrl, conversationId }));
    const [reply] = await connector.nextReplies(conversationId, 1);
    expect(seen(reply as ConnectorCall).text).toMatch(/^Commands: help/);
  });

  it('welcomes with the short welcome card (not the whole help page) when added to a conversation', async () => {
    const conversationId = 'welcome-conv';
    const response = await postActivity(app.url, botAdded({ serviceUrl: connector.serviceUrl, conversationId }));
    expect(response.status).toBe(200);
    const [reply] = await connector.nextReplies(conversationId, 1);
    const card = seen(reply as ConnectorCall).card;
    expect(card).toContain('I keep your Azure DevOps service connections healthy');
    for (const button of ["What's broken", 'Health', 'Alerts here', 'All commands']) expect(card).toContain(button);
    expect(card).not.toContain('What I can do');
  });

  it('an Azure DevOps failure gets the translated message with a reference id that is in the log', async () => {
    emulator.faults.scriptResponse({ method: 'GET', path: /\/_apis\/serviceendpoint\/endpoints/ }, { status: 500, body: { message: 'boom', typeKey: 'InternalServerError' } });
    // A list in one project reads Azure DevOps live (an org-wide `list` may answer from the inventory; its failed
    // refresh is tested in commands-inventory.test.ts).
    const reply = await say('list disabled in Payments');
    const referenceId = /Reference: (R-[2-9A-Z]{8})$/.exec(reply.text)?.[1];
    expect(referenceId).toBeDefined();
    const logged = logLines.map((l) => JSON.parse(l) as { referenceId?: string; code?: ErrorCode }).find((l) => l.referenceId === referenceId);
    expect(logged?.code).toMatch(/^DEVOPS\./);
    expect(reply.text).toBe(errorText(logged?.code as ErrorCode, 'list disabled in Payments', referenceId as string));
    expect(reply.all).not.toMatch(/boom|stack|at .*\.ts/);
  });

  it('when a turn fails, apologises with a reference id (never the SDK\'s "fix the source code")', async () => {
    const conversationId = 'turn-error-conv';
    connector.failNext(conversationId, 403);
    const response = await postActivity(app.url, personalMessage('help', { serviceUrl: connector.serviceUrl, conversationId }));
    expect(response.status).toBe(200);
    const [apology] = await connector.nextReplies(conversationId, 1);
    const text = seen(apology as ConnectorCall).text;
    expect(text).toMatch(/^Sorry, something went wrong on my side\. Please try again\. Reference: R-[2-9A-Z]{8}$/);
    const referenceId = text.slice(-10);
    expect(logLines.some((l) => l.includes(`"referenceId":"${referenceId}"`) && l.includes('"msg":"turn failed"'))).toBe(true);
  });

  it('rejects a body that is not an activity with 400 and no detail', async () => {
    const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/stack|at .*\.(ts|js)/);
  });

  it('never sent or logged a seeded secret', () => {
    expect(connector.calls.length).toBeGreaterThan(5);
    expect(JSON.stringify(connector.calls)).not.toContain(SECRET_PREFIX);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(SECRET_PREFIX);
  });
});

describe('scbot with an app id (inbound authentication on)', () => {
  it('answers 401 without detail to an activity that carries no token, and never runs the turn', async () => {
    const connector = new ConnectorStandIn();
    await connector.start();
    const endpoints = new InMemoryServiceEndpoints([]);
    const app = await startTestApp({ devops: endpoints, logger: createLogger({ level: 'silent' }), clock: systemClock }, { auth: { appId: '6f1c1a8e-1b1e-4a43-9a57-0d6b0c0e3b1a', appPassword: 'not-used', appType: 'MultiTenant' } });
    try {
      const response = await postActivity(app.url, personalMessage('list', { serviceUrl: connector.serviceUrl, conversationId: 'anon' }));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'Unauthorized' });
      expect(connector.calls).toEqual([]);
    } finally {
      await app.close();
      await connector.close();
    }
  });
});

describe('connector stand-in', () => {
  it('accepts every Bot Connector call a bot makes and answers { id } like the service', async () => {
    const connector = new ConnectorStandIn();
    await connector.start();
    const call = (method: string, path: string, body: object) =>
      fetch(`${connector.serviceUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const created = await call('POST', 'v3/conversations', { bot: { id: 'b' }, members: [{ id: 'u' }] });
      expect(created.status).toBe(201);
      const { id: conversationId } = (await created.json()) as { id: string };
      const waiting = connector.nextReplies(conversationId, 2);
      const posted = (await (await call('POST', `v3/conversations/${conversationId}/activities`, { type: 'message', text: 'one' })).json()) as { id: string };
      await call('POST', `v3/conversations/${conversationId}/activities/${posted.id}`, { type: 'message', text: 'two' });
      const updated = await call('PUT', `v3/conversations/${conversationId}/activities/${posted.id}`, { type: 'message', text: 'one, edited' });
      expect(await updated.json()).toEqual({ id: posted.id });
      expect((await waiting).map((c) => c.body.text)).toEqual(['one', 'two']);
      expect(connector.calls.map((c) => [c.kind, c.method, c.activityId === posted.id])).toEqual([
        ['create', 'POST', false], ['send', 'POST', false], ['reply', 'POST', true], ['update', 'PUT', true],
      ]);
      expect((await fetch(`${connector.serviceUrl}v3/conversations`)).status).toBe(404);
    } finally {
      await connector.close();
    }
  });
});
