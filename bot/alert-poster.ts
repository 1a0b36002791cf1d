import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { AlertPoster } from '../src/alerts/radar';
import type { Subscription } from '../src/alerts/alert-store';
import type { CardMessage } from '../src/cards/card';
import { isAllowedServiceUrl, serviceUrlHostForLog, type ServiceUrlPolicy } from '../src/domain/service-url';
import { proactively } from './proactive';
import { toActivity } from './replies';

/**
 * Posts an alert card into a subscribed conversation: a proactive turn (continueConversationAsync) whose
 * sendActivity is a POST to …/v3/conversations/{id}/activities. The stored reference is checked against the
 * serviceUrl allow-list again before any token is sent: the Store is not trusted to name where the bot's token goes.
 */
export class BotAlertPoster implements AlertPoster {
  constructor(private readonly adapter: CloudAdapter, private readonly appId: string, private readonly serviceUrls: ServiceUrlPolicy) {}

  async post(subscription: Subscription, reply: CardMessage): Promise<void> {
    const reference = subscription.reference as Partial<ConversationReference>;
    if (!isAllowedServiceUrl(reference.serviceUrl, this.serviceUrls)) {
      throw new Error(`alert not posted: serviceUrl host ${serviceUrlHostForLog(reference.serviceUrl)} is not allowed`);
    }
    await proactively(this.adapter, this.appId, reference, async (context) => {
      // The SDK marks every send as a reply to the synthetic continuation event (a made-up id, so POST
      // …/activities/{id}); an alert is a new message in the conversation: POST …/activities.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      await context.sendActivity(toActivity(reply));
    });
  }
}
