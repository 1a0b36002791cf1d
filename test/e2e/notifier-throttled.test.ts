/**
 * The Bot Connector notifier (bot/notifier.ts) over real botbuilder proactive turns, against the connector
 * stand-in: a throttled post rejects at once as TEAMS.THROTTLED with the status and Retry-After, after exactly one
 * call. The SDK's own pipeline would otherwise wait out any Retry-After (here a whole minute) and try again unseen;
 * the PacedNotifier around this one decides instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { BotNotifier } from '../../bot/notifier';
import { createAdapter } from '../../bot/server';
import type { CardMessage } from '../../src/cards/card';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy } from '../../src/domain/service-url';
import { createLogger } from '../../src/logging';

let connector: ConnectorStandIn | undefined;
afterEach(async () => connector?.close());

const urls = serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true });
const message: CardMessage = { text: 'Connection failed: sc-prod', view: { template: 'message', model: { title: 'Connection failed: sc-prod', lines: [] } } };

describe('BotNotifier against a throttling connector', () => {
  it('rejects a 429 at once with its Retry-After, without the SDK retrying it', async () => {
    connector = new ConnectorStandIn({ rateLimits: { perThread: [{ limit: 1, windowMs: 60_000 }], perTenant: [] } });
    await connector.start();
    const notifier = new BotNotifier(createAdapter({}, urls, createLogger({ level: 'silent' })), '', urls);
    const to = { conversationId: '19:ops@thread.tacv2', reference: { serviceUrl: connector.serviceUrl, channelId: 'msteams', conversation: { id: '19:ops@thread.tacv2', tenantId: 't' }, bot: { id: 'scbot' } } };

    await notifier.post(to, message);
    // With the SDK's retries it would sleep the minute and call again (past this test's timeout) instead of rejecting.
    await expect(notifier.post(to, message)).rejects.toMatchObject({ code: 'TEAMS.THROTTLED', status: 429, retryAfterMs: 60_000 });
    expect(connector.rateLimitStats()).toMatchObject({ admitted: 1, throttled: 1 });
    expect(connector.calls.map((c) => c.kind)).toEqual(['send']);
  });

  it('names a refusal TEAMS.REFUSED with its status (delivery counts 403/404 towards unsubscribing)', async () => {
    connector = new ConnectorStandIn();
    await connector.start();
    const notifier = new BotNotifier(createAdapter({}, urls, createLogger({ level: 'silent' })), '', urls);
    connector.failNext('19:gone@thread.tacv2', 403);
    const to = { conversationId: '19:gone@thread.tacv2', reference: { serviceUrl: connector.serviceUrl, channelId: 'msteams', conversation: { id: '19:gone@thread.tacv2' }, bot: { id: 'scbot' } } };
    await expect(notifier.post(to, message)).rejects.toMatchObject({ code: 'TEAMS.REFUSED', status: 403 });
  });
});
