import type { Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue } from 'botbuilder';
import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { CommandCardReply, Tap } from '../src/approvals/types';
import type { CommandRegistry, CommandServices, Reply, Turn } from '../src/commands';
import { tokenize } from '../src/commands';
import { renderView } from '../src/cards/presenter';
import { messageCard } from '../src/cards/message-view';
import { errorCodeOf } from '../src/domain/errors';
import { newReferenceId } from '../src/ids';
import { toActivity } from './replies';
import { badRequest, buttonCommand, preconditionFailed, replaceCard, showMessage } from './invoke-responses';
import { COMMAND_VERB } from '../src/cards/card';
import { FORM_VERB } from '../src/cards/form-view';
import { placeOf, principalOf } from '../src/policy/principal';
import type { ApprovalPerson } from '../src/domain/approval';
import { demoApproverOf, withDemoApproveButtons, withDemoApproversOffered } from './local-demo-approvers';
import type { ConnectionPin } from '../src/domain/command-line';
import { visibleText } from '../src/cards/outside-text';
import type { ReplyUpdates } from '../src/notify/reply-updates';

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

/**
 * The command of a card button from before Universal Actions (cards already in chats): Action.Submit data
 * arrives as the message's `value`, `{ command }` or imBack's `{ msteams: { value } }`.
 */
function submittedCommand(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { command?: unknown; msteams?: { value?: unknown } };
  if (typeof v.command === 'string') return v.command;
  if (typeof v.msteams?.value === 'string') return v.msteams.value;
  return undefined;
}

export interface TeamsBotOptions {
  /** Local mode only (see local-demo-approvers.ts): demo approvers offered on every plan card waiting for approval. */
  localDemoApprovers?: ReadonlyArray<ApprovalPerson & { key: string }>;
}

/** Thin: activity in → tokens → registry → reply out. Everything else lives in src/commands. */
export class TeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly registry: CommandRegistry, private readonly services: CommandServices, private readonly taps: CardTaps,
    private readonly updates: ReplyUpdates, private readonly options: TeamsBotOptions = {},
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.send(context, await this.answer(context));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      // The welcome goes through the registry like "hello": the same tenant gate, the same card in a chat or a team.
      if (botAdded) await context.sendActivity(toActivity(await this.answer(context, { text: '' })));
      await next();
    });
  }

  /**
   * Universal Actions (Action.Execute). A `command` button runs its command as the tapper and answers with a new
   * message (the card stays); plan buttons answer with the replacement card, long work continues in the background.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    try {
      if (invokeValue?.action?.verb === COMMAND_VERB) return await this.commandTap(context, invokeValue.action.data);
      if (invokeValue?.action?.verb === FORM_VERB) return await this.formSubmit(context, invokeValue.action.data);
      return await this.planTap(context, invokeValue);
    } catch (error) {
      // The card stays as it was; the user gets a short answer with a reference, the log gets the details.
      const referenceId = newReferenceId();
      this.services.logger.error({ err: error, code: errorCodeOf(error), referenceId }, 'card action failed');
      return replaceCard(renderView(messageCard('Sorry, something went wrong on my side. Please try again.', [`Reference: ${referenceId}`], [], 'error')));
    }
  }

  /**
   * A button that sends a command: the same turn as a typed message, its answer posted in the conversation. The
   * command is read exactly as the bot wrote it (no HTML clean-up), and a button pinned to a connection acts on
   * that connection id or on nothing.
   */
  private async commandTap(context: TurnContext, data: unknown): Promise<AdaptiveCardInvokeResponse> {
    const button = buttonCommand(data);
    if (button === undefined) return badRequest('This button carries no command I can run.');
    await this.send(context, await this.answer(context, { text: button.command, ...(button.pin ? { pin: button.pin } : {}) }));
    return showMessage(`Sent: ${visibleText(button.command, 200)}${button.pin ? ` (connection ${button.pin.connectionId})` : ''}`);
  }

  /**
   * A form's submit (src/commands/forms.ts): its values become the command line, run as the submitter; the answer
   * (and, when it is not a plan, the form again with the values kept) is posted as new messages, the form stays.
   */
  private async formSubmit(context: TurnContext, data: unknown): Promise<AdaptiveCardInvokeResponse> {
    const replies = await this.registry.submitForm(data, { ...this.services, ...this.turnOf(context.activity) });
    if (replies === undefined) return badRequest('This form carries nothing I can run.');
    for (const reply of replies) await this.send(context, reply);
    return showMessage('Sent.');
  }

  private async planTap(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const demo = this.options.localDemoApprovers ?? [];
    const tap = tapOf(context.activity, invokeValue);
    const asDemo = demoApproverOf(tap.verb, demo);
    let reply = await this.taps.tap(asDemo ? { ...tap, verb: 'approve', user: asDemo } : tap);
    // Local mode: the Playground's one user sees the card, so a plan still waiting after a demo approval is redrawn
    // for them (their Cancel, the demo approvers left), not for the demo approver.
    if (asDemo && !reply.refusal && reply.pending) reply = await this.taps.tap({ ...tap, verb: 'refresh' });
    const failed = invokeFailure(reply.refusal);
    if (failed) return failed;
    const rendered = renderView(reply.view);
    return replaceCard(demo.length > 0 && reply.pending ? withDemoApproveButtons(rendered, invokeValue?.action?.data, demo, reply.pending) : rendered);
  }

  /**
   * Posts the answer. One with a better answer on its way (an org-wide list from the inventory, being refreshed)
   * has its card replaced in place when that comes: the id Teams gave the posted message says which card.
   */
  private async send(context: TurnContext, reply: Reply): Promise<void> {
    const demo = this.options.localDemoApprovers ?? [];
    const sent = await context.sendActivity(withDemoApproversOffered(toActivity(reply), demo, context.activity.from?.id ?? ''));
    if (reply.kind !== 'card' || !reply.update || !sent?.id) return;
    const conversation = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Record<string, unknown>;
    this.updates.follow({ activityId: sent.id, conversation }, reply.update);
  }

  /** One turn: the activity's typed text, or the command of a button (`tapped`), which is data the bot wrote. */
  private async answer(context: TurnContext, tapped?: { text: string; pin?: ConnectionPin }): Promise<Reply> {
    const activity = context.activity;
    const typed = (activity.text ?? '').trim() !== '';
    const button = tapped ?? (typed ? undefined : { text: submittedCommand(activity.value) ?? '' });
    const tokens = button ? tokenize(button.text, { verbatim: true }) : tokenize(activity.text ?? '', { mentionTexts: botMentionTexts(activity) });
    return this.registry.dispatch(tokens, { ...this.services, ...this.turnOf(activity, button?.pin) });
  }

  /** Who asked, where: the same for a typed line, a button and a form. */
  private turnOf(activity: Activity, pin?: ConnectionPin): Turn {
    return {
      ...(pin ? { pinned: pin } : {}),
      user: { id: activity.from?.id ?? 'unknown', name: activity.from?.name ?? '', ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) },
      conversation: { id: activity.conversation?.id ?? 'unknown', type: activity.conversation?.conversationType ?? 'personal' },
      correlationId: activity.id ?? `C-${newReferenceId()}`,
      principal: principalOf(activity), place: placeOf(activity),
      // Plain JSON: `alerts on` keeps it in the Store, and src/ never sees botbuilder's types.
      conversationReference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>,
    };
  }
}

/**
 * Refusals no replacement card can answer: card data we never wrote is a bad request (400); a plan that no longer
 * exists is a failed precondition (412), and Teams keeps the card and shows the message.
 */
function invokeFailure(refusal: string | undefined): AdaptiveCardInvokeResponse | undefined {
  if (refusal === 'TAMPERED_CARD') return badRequest('I can\'t find that plan: this card was not made by me.');
  if (refusal === 'UNKNOWN_ACTION') return badRequest('I do not know that button.');
  if (refusal === 'UNKNOWN_PLAN') return preconditionFailed('I can\'t find that plan. Ask for the change again to get a new plan.');
  return undefined;
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
