/**
 * An alert burst to many subscribed channels, end to end in `npm start`'s stack (demo seed, real clients, real
 * botbuilder proactive turns) against a connector stand-in whose limits are tighter than Teams' documented ones,
 * as Teams may set them ("the exact values are subject to change"): the bot paces for the documented limits, is
 * throttled past the stand-in's, waits each Retry-After, and every channel gets every card exactly once, in order.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { closeLocalStack, sayInChannel, startLocalStack } from '../support/local-stack';
import { ConnectorStandIn, type ConnectorCall } from '@scbot/stand-ins/botframework';
import { allTextOf } from '../support/adaptive-cards';

const CHANNELS = Array.from({ length: 8 }, (_, i) => `19:burst-${i}-${randomUUID()}@thread.tacv2`);
const LIMITS = { perThread: [{ limit: 1, windowMs: 1_000 }], perTenant: [{ limit: 6, windowMs: 1_000 }] };
const FAILING = ['sc-prod', 'sc-dev', 'sc-cert-platform'];

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack({ rateLimits: LIMITS }));
});
afterAll(() => closeLocalStack(stack, connector));

const textOf = (call: ConnectorCall): string => allTextOf((call.body.attachments as Array<{ content: object }>)[0]!.content);
const proactive = (conversationId: string) => connector.calls.filter((c) => c.kind === 'send' && c.conversationId === conversationId);

const alertsOn = (conversationId: string) => sayInChannel(stack, connector, conversationId, 'alerts on');

describe('an alert burst to many channels under Teams\' rate limits', () => {
  it('delivers every card to every channel exactly once, in order, waiting out each 429', async () => {
    for (const channel of CHANNELS) await alertsOn(channel);
    // The first scan: one digest of what is already open, per channel.
    expect(await stack.alerts.runNow()).toMatchObject({ kind: 'scanned', posts: CHANNELS.length, failedPosts: 0 });

    // Three connections fail at once: new, changed and resolved findings, the same cards for every channel.
    const failing = stack.devops.state.endpoints().filter((e) => FAILING.includes(e.name) && e.isReady);
    expect(failing.map((e) => e.name).sort()).toEqual([...FAILING].sort());
    for (const e of failing) stack.devops.state.setStatus(e.id, { isReady: false, state: 'Failed', statusMessage: 'AADSTS7000215: Invalid client secret provided.' });
    const throttledBefore = connector.rateLimitStats()!.throttled;
    const burst = await stack.alerts.runNow();
    expect(burst).toMatchObject({ kind: 'scanned', conversations: CHANNELS.length, failedPosts: 0 });
    const perChannel = (burst as { posts: number }).posts / CHANNELS.length;
    expect(perChannel).toBeGreaterThanOrEqual(2);

    const expected = proactive(CHANNELS[0]!).slice(1).map(textOf);
    expect(expected.join('\n')).toMatch(/Connection failed: sc-prod[\s\S]*Resolved/);
    for (const channel of CHANNELS) {
      const [digest, ...cards] = proactive(channel).map(textOf);
      expect(digest).toMatch(/\d+ new alerts/);
      // Every card exactly once, in the order delivery planned them: the same in every channel.
      expect(cards).toEqual(expected);
      expect(cards).toHaveLength(perChannel);
    }
    // The bot went past the stand-in's tighter limits, was told to wait, and waited: nothing was lost.
    const stats = connector.rateLimitStats()!;
    expect(stats.throttled).toBeGreaterThan(throttledBefore);
    expect(stats.windows).toEqual([
      { scope: 'thread', limit: 1, windowMs: 1000, maxObserved: 1 },
      { scope: 'tenant', limit: 6, windowMs: 1000, maxObserved: 6 },
    ]);
    // And the next scan has nothing new to say.
    expect(await stack.alerts.runNow()).toMatchObject({ kind: 'scanned', posts: 0 });
  }, 60_000);
});
