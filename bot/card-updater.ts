import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CardUpdater, CommandCardReply } from '../src/approvals/types';
import type { CardLocation } from '../src/domain/approval';
import { toActivity } from './replies';

/**
 * Replaces a card the bot posted, from background work: a proactive turn (continueConversationAsync) whose
 * updateActivity is a PUT to …/conversations/{id}/activities/{activityId} with the whole new activity.
 */
export class BotCardUpdater implements CardUpdater {
  constructor(private readonly adapter: CloudAdapter, private readonly appId: string) {}

  async update(location: CardLocation, reply: CommandCardReply): Promise<void> {
    const reference = location.conversation as Partial<ConversationReference>;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await context.updateActivity({ ...toActivity({ kind: 'card', text: reply.text, card: reply.card }), id: location.activityId });
    });
  }
}
