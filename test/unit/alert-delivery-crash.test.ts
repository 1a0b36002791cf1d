/**
 * Alert delivery across a crash mid-burst. Posts now wait their turn under Teams' limits, so a burst to many
 * conversations takes a while and a restart can land in the middle of one conversation's posts: each post is
 * saved as it succeeds, so the instance that delivers next posts exactly what was not posted — nothing twice,
 * nothing lost. A post that fails after the notifier's retries stays pending for the next delivery.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { AlertDelivery } from '../../src/alerts/delivery';
import { AlertStore } from '../../src/alerts/alert-store';
import { AppError } from '../../src/domain/errors';
import { createLogger } from '../../src/logging';
import type { ConversationAddress, Notifier } from '../../src/notify/notifier.port';
import type { CardMessage } from '../../src/cards/card';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { findingOf } from './alert-fixture';

const logger = createLogger({ level: 'silent' });
const findings = [findingOf('failed', 1), findingOf('failed', 2), findingOf('failed', 3)];

/** What Teams shows, shared by every instance: posts that reached a conversation. */
const teams: string[] = [];

/** Posts the first `okPosts` calls, then does what `then` says: hang (the process dies while waiting) or fail. */
class Instance implements Notifier {
  private calls = 0;
  constructor(private readonly okPosts: number, private readonly then: 'hang' | AppError) {}

  async post(to: ConversationAddress, message: CardMessage): Promise<void> {
    this.calls += 1;
    if (this.calls > this.okPosts) {
      if (this.then === 'hang') return new Promise<void>(() => undefined);
      throw this.then;
    }
    teams.push(`${to.conversationId}: ${message.text.split(' (')[0]}`);
  }

  async update(): Promise<void> {}
}

function delivery(store: EmbeddedStore, notifier: Notifier): AlertDelivery {
  const clock = new ManualClock('2026-11-22T06:00:00.000Z');
  return new AlertDelivery({ alerts: new AlertStore(store), notifier, clock, logger, settings: { reminderHours: 24, digestOver: 3 } });
}

async function subscribed(...conversationIds: string[]): Promise<EmbeddedStore> {
  const store = new EmbeddedStore();
  for (const conversationId of conversationIds) {
    await new AlertStore(store).subscribe({ conversationId, reference: { conversation: { id: conversationId } }, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T05:00:00.000Z' });
  }
  return store;
}

describe('alert delivery across a crash', () => {
  it('an instance that dies after 2 of 3 posts: the next delivery posts only the third', async () => {
    teams.length = 0;
    const store = await subscribed('ops');
    void delivery(store, new Instance(2, 'hang')).deliverAll(findings);
    await expect.poll(() => teams.length).toBe(2);
    // The restarted instance (same store) finishes the burst.
    const outcome = await delivery(store, new Instance(10, 'hang')).deliverAll(findings);
    expect(outcome).toEqual({ conversations: 1, posts: 1, failedPosts: 0 });
    expect(teams).toEqual(['ops: Connection failed: sc-1', 'ops: Connection failed: sc-2', 'ops: Connection failed: sc-3']);
    // And a third delivery has nothing left to say.
    expect(await delivery(store, new Instance(10, 'hang')).deliverAll(findings)).toEqual({ conversations: 0, posts: 0, failedPosts: 0 });
    expect(teams).toHaveLength(3);
  });

  it('a post still throttled after the retries stays pending and goes out, once, with the next delivery', async () => {
    teams.length = 0;
    const store = await subscribed('ops', 'dev');
    const throttled = new AppError('TEAMS.THROTTLED', 'the Bot Connector answered 429', { status: 429, retryAfterMs: 1000 });
    // 6 posts due (3 per conversation, delivered side by side): the sixth is refused.
    const first = await delivery(store, new Instance(5, throttled)).deliverAll(findings);
    expect(first).toEqual({ conversations: 2, posts: 5, failedPosts: 1 });
    const second = await delivery(store, new Instance(10, throttled)).deliverAll(findings);
    expect(second).toEqual({ conversations: 1, posts: 1, failedPosts: 0 });
    for (const conversation of ['ops', 'dev']) {
      expect(teams.filter((t) => t.startsWith(`${conversation}:`)).sort()).toEqual([1, 2, 3].map((n) => `${conversation}: Connection failed: sc-${n}`));
    }
  });
});
