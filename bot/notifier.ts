import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CardMessage } from '../src/cards/card';
import type { CardLocation } from '../src/domain/approval';
import { isAllowedServiceUrl, serviceUrlHostForLog, type ServiceUrlPolicy } from '../src/domain/service-url';
import type { ConversationAddress, Notifier } from '../src/notify/notifier.port';
import { proactively } from './proactive';
import { toActivity } from './replies';

/**
 * The Notifier over the Bot Connector: each call is a proactive turn (continueConversationAsync) on the one adapter
 * the server uses. A post is a POST to …/v3/conversations/{id}/activities; an update a PUT to
 * …/activities/{activityId} with the whole new activity.
 */
export class BotNotifier implements Notifier {
  constructor(private readonly adapter: CloudAdapter, private readonly appId: string, private readonly serviceUrls: ServiceUrlPolicy) {}

  /**
   * The stored reference is checked against the serviceUrl allow-list again before any token is sent: the Store is
   * not trusted to name where the bot's token goes.
   */
  async post(to: ConversationAddress, message: CardMessage): Promise<void> {
    const reference = to.reference as Partial<ConversationReference>;
    if (!isAllowedServiceUrl(reference.serviceUrl, this.serviceUrls)) {
      throw new Error(`message not posted: serviceUrl host ${serviceUrlHostForLog(reference.serviceUrl)} is not allowed`);
    }
    await proactively(this.adapter, this.appId, reference, async (context) => {
      // The SDK marks every send as a reply to the synthetic continuation event (a made-up id, so POST
      // …/activities/{id}); a new message in the conversation is POST …/activities.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      await context.sendActivity(toActivity(message));
    });
  }

  async update(card: CardLocation, message: CardMessage): Promise<void> {
    const reference = card.conversation as Partial<ConversationReference>;
    await proactively(this.adapter, this.appId, reference, async (context) => {
      // toActivity sends a card alone (no text): Teams refuses an update carrying both.
      await context.updateActivity({ ...toActivity(message), id: card.activityId });
    });
  }
}
