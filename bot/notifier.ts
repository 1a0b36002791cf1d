import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { CardMessage } from '../src/cards/card';
import type { CardLocation } from '../src/domain/approval';
import { AppError } from '../src/domain/errors';
import { isAllowedServiceUrl, serviceUrlHostForLog, type ServiceUrlPolicy } from '../src/domain/service-url';
import type { ConversationAddress, Notifier } from '../src/notify/notifier.port';
import { proactively } from './proactive';
import { toActivity } from './replies';

/**
 * The SDK's HTTP pipeline (@azure/core-rest-pipeline) retries 429s after Retry-After, however long, and 5xx up
 * to 3 times, unseen and unpaced. Background posts are paced and retried by src/notify/paced-notifier.ts instead,
 * so the retry policy is taken off this turn's connector client (a new one per turn). `client` is private in the
 * SDK's types: if a future version moves it, the SDK's retries simply stay, which is slower but still correct.
 */
function withoutSdkRetries(context: TurnContext): void {
  const connector = context.turnState.get<unknown>(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy?: (policy: { name: string }) => unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
}

/** A failed Bot Connector call as a typed error: its status and Retry-After, never its message text. */
function connectorError(error: unknown): unknown {
  const e = error as { statusCode?: unknown; response?: { headers?: { get?: (name: string) => string | undefined } } } | undefined;
  if (typeof e?.statusCode !== 'number') return error;
  const status = e.statusCode;
  const seconds = Number.parseFloat(e.response?.headers?.get?.('retry-after') ?? '');
  const code = status === 429 ? 'TEAMS.THROTTLED' : status >= 500 || status === 412 ? 'TEAMS.UNAVAILABLE' : 'TEAMS.REFUSED';
  return new AppError(code, `the Bot Connector answered ${status}`, {
    cause: error, status, ...(Number.isFinite(seconds) ? { retryAfterMs: Math.round(seconds * 1000) } : {}),
  });
}

/**
 * The Notifier over the Bot Connector: each call is a proactive turn (continueConversationAsync) on the one adapter
 * the server uses. A post is a POST to …/v3/conversations/{id}/activities; an update a PUT to
 * …/activities/{activityId} with the whole new activity. Failures reject with AppError TEAMS.* (status,
 * retryAfterMs); pacing and retries are the PacedNotifier's, around this one.
 */
export class BotNotifier implements Notifier {
  /** `onPost`: what a new message gets before it is sent (local mode: the demo approvers' buttons on plan cards). */
  constructor(
    private readonly adapter: CloudAdapter, private readonly appId: string, private readonly serviceUrls: ServiceUrlPolicy,
    private readonly onPost: (activity: Partial<Activity>) => Partial<Activity> = (activity) => activity,
  ) {}

  /**
   * The stored reference is checked against the serviceUrl allow-list again before any token is sent: the Store is
   * not trusted to name where the bot's token goes.
   */
  async post(to: ConversationAddress, message: CardMessage): Promise<void> {
    const reference = to.reference as Partial<ConversationReference>;
    if (!isAllowedServiceUrl(reference.serviceUrl, this.serviceUrls)) {
      throw new Error(`message not posted: serviceUrl host ${serviceUrlHostForLog(reference.serviceUrl)} is not allowed`);
    }
    await this.turn(reference, async (context) => {
      // The SDK marks every send as a reply to the synthetic continuation event (a made-up id, so POST
      // …/activities/{id}); a new message in the conversation is POST …/activities.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      await context.sendActivity(this.onPost(toActivity(message)));
    });
  }

  async update(card: CardLocation, message: CardMessage): Promise<void> {
    const reference = card.conversation as Partial<ConversationReference>;
    await this.turn(reference, async (context) => {
      // toActivity sends a card alone (no text): Teams refuses an update carrying both.
      await context.updateActivity({ ...toActivity(message), id: card.activityId });
    });
  }

  private async turn(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    try {
      await proactively(this.adapter, this.appId, reference, async (context) => {
        withoutSdkRetries(context);
        await logic(context);
      });
    } catch (error) {
      throw connectorError(error);
    }
  }
}
