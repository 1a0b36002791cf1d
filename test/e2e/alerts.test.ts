/**
 * The alerts radar end to end, in `npm start`'s stack (no playground): real activities in, the scanner through the
 * real azure-devops-node-api and Graph clients against the local cloud, proactive cards out to a connector
 * stand-in. A channel turns alerts on; a connection fails → one alert card, not again on the next scan,
 * "resolved" once fixed; its Rotate button gives the normal plan preview. Expiry and issuer findings likewise.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { commandTap, postActivity } from '../support/activities';
import { ConnectorStandIn, type ConnectorCall } from '@scbot/stand-ins/botframework';
import { closeLocalStack, sayInChannel, startLocalStack } from '../support/local-stack';
import { allTextOf as textOf } from '../support/adaptive-cards';

let stack: LocalStack;
let connector: ConnectorStandIn;
const CHANNEL = `19:platform-alerts-${randomUUID()}@thread.tacv2`;
const QUIET = `19:quiet-${randomUUID()}@thread.tacv2`;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

type Card = { body?: unknown[]; actions?: Array<{ title: string; verb?: string; data?: { command?: string } }> };
const cardOf = (call: ConnectorCall): Card => (call.body.attachments as Array<{ content: Card }>)[0]!.content;

const say = (conversationId: string, command: string) => sayInChannel(stack, connector, conversationId, command);

/** Proactive posts (not replies to a message) to a conversation since the last call. */
const seen = new Map<string, number>();
function newAlerts(conversationId = CHANNEL): ConnectorCall[] {
  const posts = connector.calls.filter((c) => c.kind === 'send' && c.conversationId === conversationId);
  const fresh = posts.slice(seen.get(conversationId) ?? 0);
  seen.set(conversationId, posts.length);
  return fresh;
}

async function scan(): Promise<void> {
  const outcome = await stack.alerts.runNow();
  expect(outcome.kind).toBe('scanned');
}

const endpoint = (name: string): ServiceEndpoint => stack.devops.state.endpoints().find((e) => e.name === name)!;

describe('alerts radar (local mode, demo seed)', () => {
  it('`alerts on` subscribes the channel; the first scan posts what is open as one digest', async () => {
    expect(textOf(cardOf(await say(CHANNEL, 'alerts status')))).toContain('Alerts are off in this conversation');
    const on = await say(CHANNEL, 'alerts on');
    expect(textOf(cardOf(on))).toContain('Alerts are on in this conversation.');
    await say(QUIET, 'alerts status');

    const reply = await say(CHANNEL, 'alerts scan');
    expect(textOf(cardOf(reply))).toContain('Scanning now.');
    await stack.alerts.idle();
    const [digest, ...rest] = newAlerts();
    expect(rest).toEqual([]);
    const text = textOf(cardOf(digest!));
    expect(text).toMatch(/\d+ new alerts/);
    for (const name of ['sc-failed-secret', 'sc-failed-rbac', 'sc-failed-mi', 'sc-staging']) expect(text).toContain(name);
    // A proactive message, not a reply to `alerts on`; nothing to a conversation that did not subscribe.
    expect(digest!.activityId).toBeUndefined();
    expect(newAlerts(QUIET)).toEqual([]);
    expect(JSON.stringify(connector.calls.map((c) => c.body))).not.toContain('SEEDSECRET');
  });

  it('a connection that fails → one alert card with Rotate / Show / Delete; not again on the next scan; "resolved" once fixed', async () => {
    const sc = endpoint('sc-prod');
    stack.devops.state.setStatus(sc.id, { isReady: false, state: 'Failed', statusMessage: 'AADSTS7000215: Invalid client secret provided.' });
    await scan();
    const [alert, ...rest] = newAlerts();
    expect(rest).toEqual([]);
    const card = cardOf(alert!);
    expect(textOf(card)).toContain('Connection failed: sc-prod');
    expect(textOf(card)).toContain('AADSTS7000215');
    expect(card.actions?.map((a) => [a.title, a.data?.command])).toEqual([
      ['Rotate', 'rotate sc-prod in Payments'], ['Show', 'show sc-prod in Payments'], ['Delete', 'delete sc-prod in Payments'],
    ]);

    await scan();
    expect(newAlerts()).toEqual([]);

    stack.devops.state.setStatus(sc.id, { isReady: true, state: 'Ready' });
    await scan();
    const resolved = newAlerts();
    expect(resolved).toHaveLength(1);
    expect(textOf(cardOf(resolved[0]!))).toMatch(/1 alert resolved[\s\S]*Resolved: sc-prod[\s\S]*No longer reported \(it was: connection failed\)/);
    await scan();
    expect(newAlerts()).toEqual([]);
  });

  it('tapping Rotate on an alert sends its command as the tapper and answers with the normal plan preview', async () => {
    const sc = endpoint('sc-prod');
    stack.devops.state.setStatus(sc.id, { isReady: false, state: 'Failed', statusMessage: 'expired secret' });
    await scan();
    const [alert] = newAlerts();
    const rotate = cardOf(alert!).actions!.find((a) => a.title === 'Rotate')!;
    // Action.Execute, verb `command`: Teams sends an invoke from whoever tapped it; the answer is a new message.
    expect(rotate.verb).toBe('command');
    const tap = commandTap(rotate.data!.command!, { serviceUrl: connector.serviceUrl, conversationId: CHANNEL }, 'channel');
    const answer = await postActivity(stack.botUrl, tap);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { type: string }).type).toBe('application/vnd.microsoft.activity.message');
    await expect.poll(() => connector.calls.find((c) => c.activityId === tap.id)).toBeDefined();
    const preview = cardOf(connector.calls.find((c) => c.activityId === tap.id)!);
    const text = textOf(preview);
    expect(text).toContain('sc-prod');
    expect(text).toMatch(/addPassword/i);
    expect(JSON.stringify(preview)).toContain('"verb":"approve"');
    stack.devops.state.setStatus(sc.id, { isReady: true, state: 'Ready' });
    await scan();
    newAlerts();
  });

  it('a secret now expiring and a connection on the retiring issuer each get one card', async () => {
    const sc = endpoint('sc-dev');
    const appId = String(sc.authorization?.parameters?.serviceprincipalid);
    const registry = stack.entra.registry;
    const now = new Date();
    for (const p of registry.getApplication(appId)?.passwordCredentials ?? []) registry.removePassword(appId, p.keyId);
    registry.addPassword(appId, now, { endDateTime: new Date(now.getTime() + 3 * 86_400_000).toISOString() });

    const wif = endpoint('sc-wif-entra');
    stack.devops.state.put({ ...wif, authorization: { ...wif.authorization!, parameters: { ...wif.authorization!.parameters, workloadIdentityFederationIssuer: 'https://vstoken.dev.azure.com/035c390d-635e-5d3d-b6fa-d6a2f4cdac26' } } });
    await scan();
    const posted = newAlerts().map((c) => textOf(cardOf(c)));
    expect(posted).toHaveLength(2);
    expect(posted.find((t) => t.includes('Secret expiring: sc-dev'))).toMatch(/in (2|3) days/);
    expect(posted.find((t) => t.includes('Issuer retiring: sc-wif-entra'))).toContain('2027-07-01');
    await scan();
    expect(newAlerts()).toEqual([]);
  });

  it('`alerts status` says what is watched, the last scan with its calls, and the open findings', async () => {
    const text = textOf(cardOf(await say(CHANNEL, 'alerts status')));
    expect(text).toContain('Alerts are on in this conversation');
    expect(text).toContain('Turned on by Dana Ops');
    // The scan in words up front; its calls and unread reads (with their codes) behind Show details.
    expect(text).toMatch(/Last scan \d{4}-\d\d-\d\d \d\d:\d\d UTC · \d+ connections: \d+ failed/);
    expect(text).toMatch(/Calls: \d+ list, \d+ Graph, \d+ history/);
    expect(text).toMatch(/Open findings by severity \(\d+\)/);
    expect(text).toContain('Open findings');
    expect(text).toContain('sc-failed-secret');
  });

  it('when the bot cannot sign in to Azure DevOps two scans in a row, the channel hears it once, and again once it recovers', async () => {
    for (let scanNo = 0; scanNo < 3; scanNo += 1) {
      stack.devops.faults.scriptResponse({ method: 'GET', path: /\/_apis\/projects$/ }, { status: 401, body: { message: 'TF400813: The user is not authorized to access this resource.' } });
      expect(await stack.alerts.runNow()).toEqual({ kind: 'failed', code: 'DEVOPS.UNAUTHORIZED' });
    }
    const blind = newAlerts();
    expect(blind).toHaveLength(1);
    const text = textOf(cardOf(blind[0]!));
    expect(text).toContain('I cannot scan Azure DevOps for alerts right now.');
    expect(text).toContain('I could not sign in to Azure DevOps.');
    expect(text).toMatch(/Reference: R-[A-Z0-9]{8}/);
    expect(text).not.toContain('TF400813');
    expect(textOf(cardOf(await say(CHANNEL, 'alerts status')))).toContain('failed: I could not sign in to Azure DevOps. I keep what the scan before found');

    await scan();
    const back = newAlerts();
    expect(back).toHaveLength(1);
    expect(textOf(cardOf(back[0]!))).toContain('Alert scans work again.');
  });

  it('`alerts on in <project>` posts only that project\'s alerts to that channel', async () => {
    const payments = `19:payments-${randomUUID()}@thread.tacv2`;
    expect(textOf(cardOf(await say(payments, 'alerts on in Payments')))).toContain('Alerts are on in this conversation for Payments.');
    await scan();
    const [digest, ...rest] = newAlerts(payments);
    expect(rest).toEqual([]);
    const text = textOf(cardOf(digest!));
    expect(text).toContain('sc-failed-secret (Payments)');
    expect(text).not.toContain('(Platform)');
    expect(text).not.toContain('(Data Science)');
    const status = textOf(cardOf(await say(payments, 'alerts status')));
    expect(status).toContain('for Payments.');
    expect(status).toMatch(/Open findings in Payments \(\d+\)/);
    await say(payments, 'alerts off');
  });

  it('`alerts off` stops the posts to that channel', async () => {
    expect(textOf(cardOf(await say(CHANNEL, 'alerts off')))).toContain('Alerts are off in this conversation.');
    stack.devops.state.setStatus(endpoint('sc-prod').id, { isReady: false, state: 'Failed', statusMessage: 'again' });
    await scan();
    expect(newAlerts()).toEqual([]);
    stack.devops.state.setStatus(endpoint('sc-prod').id, { isReady: true, state: 'Ready' });
  });

  it('a channel the bot was removed from (the connector answers 403) is unsubscribed after three refused scans', async () => {
    const gone = `19:gone-${randomUUID()}@thread.tacv2`;
    await say(gone, 'alerts on');
    for (let scanNo = 1; scanNo <= 3; scanNo += 1) {
      connector.failNext(gone, 403);
      expect(await stack.alerts.runNow()).toMatchObject({ kind: 'scanned', failedPosts: 1 });
      const subscription = (await stack.alerts.status(gone)).subscription;
      if (scanNo < 3) expect(subscription?.refusedPosts).toBe(scanNo);
      else expect(subscription).toBeUndefined();
    }
    // Nothing reached the channel: no alert, and no apology from the adapter's turn-error handler either.
    expect(newAlerts(gone)).toEqual([]);
  });

  it('bad input gets the usage, and nothing is subscribed', async () => {
    const reply = await say(QUIET, 'alerts loud');
    expect(String(reply.body.text ?? reply.body.summary)).toContain('Say `alerts on [in ‹project›]`, `alerts off`, `alerts status` or `alerts scan`.');
    expect(String(reply.body.text ?? reply.body.summary)).toContain('Usage: `alerts [on [in ‹project›]|off|status|scan]`');
    expect(textOf(cardOf(await say(QUIET, 'alerts')))).toContain('Alerts are off in this conversation');
  });
});
