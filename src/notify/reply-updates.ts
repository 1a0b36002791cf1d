/**
 * Cards replaced after the turn that posted them (a Reply's `update`, src/cards/card.ts): the bot layer posts the
 * first answer, learns the activity id Teams gave it, and hands both here; when the better answer arrives it goes
 * out through the Notifier's update (paced and retried with every other background post). The drain waits for the
 * updates still on their way (idle()).
 */
import type { CardMessage } from '../cards/card';
import type { CardLocation } from '../domain/approval';
import { errorCodeOf } from '../domain/errors';
import type { Logger } from '../logging';
import type { Notifier } from './notifier.port';

export class ReplyUpdates {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly notifier: Pick<Notifier, 'update'>, private readonly logger: Logger) {}

  /** Replaces the card at `card` with what `update` resolves to; nothing when it resolves to undefined. */
  follow(card: CardLocation, update: Promise<CardMessage | undefined>): void {
    const done = update
      .then((message) => (message ? this.notifier.update(card, message) : undefined))
      .catch((error: unknown) => this.logger.warn({ err: error, code: errorCodeOf(error) }, 'a card could not be updated with the fresh answer; it keeps the first one'))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves once every update asked for so far (and any asked for meanwhile) was sent or given up. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
