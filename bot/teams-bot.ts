import type { Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue } from 'botbuilder';
import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { CommandCardReply, Tap } from '../src/approvals/types';
import type { CommandRegistry, CommandServices, Reply, Turn } from '../src/commands';
import { tokenize } from '../src/commands';
import { buildHelpView } from '../src/cards/help-view';
import { renderView } from '../src/cards/presenter';
import { messageCard } from '../src/cards/message-view';
import { errorCodeOf } from '../src/domain/errors';
import { newReferenceId } from '../src/reference-id';
import { toActivity } from './replies';
import { placeOf, principalOf } from '../src/policy/principal';
import type { ApprovalPerson } from '../src/domain/approval';
import { demoApproverOf, withDemoApproveButtons } from './local-demo-approvers';

/** The approval workflow as the bot layer sees it: a card tap in, the replacement card out. */
export interface CardTaps {
  tap(tap: Tap): Promise<CommandCardReply>;
}

/** Texts of the mention entities that address the bot itself (Teams puts them in the message text). */
function botMentionTexts(activity: Activity): string[] {
  return (activity.entities ?? [])
    .filter((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id)
    .map((e) => String((e as { text?: unknown }).text ?? ''))
    .filter(Boolean);
}

/** The command a card button sent: imBack arrives as text, but some clients send Action.Submit data as `value`. */
function submittedCommand(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { command?: unknown; msteams?: { value?: unknown } };
  if (typeof v.command === 'string') return v.command;
  if (typeof v.msteams?.value === 'string') return v.msteams.value;
  return undefined;
}

export interface TeamsBotOptions {
  /** Local mode only (see local-demo-approvers.ts): demo approvers offered when the playground's user is refused. */
  localDemoApprovers?: ReadonlyArray<ApprovalPerson & { key: string }>;
}

/** Thin: activity in → tokens → registry → reply out. Everything else lives in src/commands. */
export class TeamsBot extends TeamsActivityHandler {
  constructor(private readonly registry: CommandRegistry, private readonly services: CommandServices, private readonly taps: CardTaps, private readonly options: TeamsBotOptions = {}) {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(toActivity(await this.answer(context)));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await context.sendActivity(toActivity(this.welcome()));
      await next();
    });
  }

  /** Universal Actions (Action.Execute): the replacement card is the HTTP answer; long work continues in the background. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    try {
      const demo = this.options.localDemoApprovers ?? [];
      const tap = tapOf(context.activity, invokeValue);
      const asDemo = demoApproverOf(tap.verb, demo);
      const reply = await this.taps.tap(asDemo ? { ...tap, verb: 'approve', user: asDemo } : tap);
      const rendered = renderView(reply.view);
      const card = demo.length > 0 && reply.refusal === 'OWN_REQUEST' ? withDemoApproveButtons(rendered, invokeValue?.action?.data, demo) : rendered;
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
    } catch (error) {
      // The card stays as it was; the user gets a short answer with a reference, the log gets the details.
      const referenceId = newReferenceId();
      this.services.logger.error({ err: error, code: errorCodeOf(error), referenceId }, 'card action failed');
      const card = renderView(messageCard('Sorry, something went wrong on my side. Please try again.', [`Reference: ${referenceId}`], [], 'error'));
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
    }
  }

  private async answer(context: TurnContext): Promise<Reply> {
    const activity = context.activity;
    const text = (activity.text ?? '').trim() === '' ? submittedCommand(activity.value) ?? '' : activity.text;
    const tokens = tokenize(text, { mentionTexts: botMentionTexts(activity) });
    const turn: Turn = {
      user: { id: activity.from?.id ?? 'unknown', name: activity.from?.name ?? '', ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) },
      conversation: { id: activity.conversation?.id ?? 'unknown', type: activity.conversation?.conversationType ?? 'personal' },
      correlationId: activity.id ?? `C-${newReferenceId()}`,
      principal: principalOf(activity), place: placeOf(activity),
      // Plain JSON: `alerts on` keeps it in the Store, and src/ never sees botbuilder's types.
      conversationReference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>,
    };
    return this.registry.dispatch(tokens, { ...this.services, ...turn });
  }

  private welcome(): Reply {
    const view = buildHelpView(this.registry.commands(), 'Hi! I keep an eye on Azure DevOps service connections. Try one of these:');
    return { kind: 'card', text: 'Hi! I manage Azure DevOps service connections. Say `help` to see what I can do.', view: { template: 'help', model: view } };
  }
}

/** What the bot layer knows about a tap; the card's data is passed on untouched (the approvals service distrusts it). */
function tapOf(activity: Activity, invokeValue: AdaptiveCardInvokeValue): Tap {
  // The same tenant rule as the request gate: channelData and conversation must agree.
  const tenantId = placeOf(activity).tenantId;
  const tap: Tap = {
    verb: String(invokeValue?.action?.verb ?? ''),
    data: invokeValue?.action?.data,
    user: { id: activity.from?.id ?? 'unknown', name: activity.from?.name ?? '', ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) },
    conversation: { id: activity.conversation?.id ?? 'unknown', type: activity.conversation?.conversationType ?? 'personal', ...(tenantId ? { tenantId } : {}) },
    ...(activity.id ? { correlationId: activity.id } : {}),
  };
  // The card is the activity the invoke replies to: background progress replaces it in place.
  if (activity.replyToId) {
    tap.card = { activityId: activity.replyToId, conversation: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown> };
  }
  return tap;
}
