import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CardUpdater, CommandCardReply } from '../src/approvals/types';
import type { CardLocation } from '../src/domain/approval';
import { proactively } from './proactive';
import { toActivity } from './replies';

/**
 * Replaces a card the bot posted, from background work: a proactive turn (continueConversationAsync) whose
 * updateActivity is a PUT to …/conversations/{id}/activities/{activityId} with the whole new activity.
 */
export class BotCardUpdater implements CardUpdater {
  constructor(private readonly adapter: CloudAdapter, private readonly appId: string) {}

  async update(location: CardLocation, reply: CommandCardReply): Promise<void> {
    const reference = location.conversation as Partial<ConversationReference>;
    await proactively(this.adapter, this.appId, reference, async (context) => {
      // Card only: Teams (and the Agents Playground) refuse an update carrying text and a card together
      // ("Activity resulted into multiple skype activities"), since it posted them as two messages.
      const { text: _text, ...cardOnly } = toActivity(reply);
      await context.updateActivity({ ...cardOnly, id: location.activityId });
    });
  }
}
