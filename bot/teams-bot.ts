import type { Activity, TurnContext } from 'botbuilder';
import { TeamsActivityHandler } from 'botbuilder';
import type { CommandContext, CommandRegistry, Reply } from '../src/commands';
import { tokenize } from '../src/commands';
import { buildHelpView } from '../src/cards/help-view';
import { renderCard } from '../src/cards/render';
import { toActivity } from './replies';

export type CommandEnvironment = Pick<CommandContext, 'endpoints' | 'projects' | 'clock' | 'logger' | 'plans' | 'changes' | 'audit'>;

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

/** Thin: activity in → tokens → registry → reply out. Everything else lives in src/commands. */
export class TeamsBot extends TeamsActivityHandler {
  constructor(private readonly registry: CommandRegistry, private readonly env: CommandEnvironment) {
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

  private async answer(context: TurnContext): Promise<Reply> {
    const activity = context.activity;
    const text = (activity.text ?? '').trim() === '' ? submittedCommand(activity.value) ?? '' : activity.text;
    const tokens = tokenize(text, { mentionTexts: botMentionTexts(activity) });
    const ctx: CommandContext = {
      ...this.env,
      user: { id: activity.from?.id ?? 'unknown', name: activity.from?.name ?? '', ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) },
      conversation: { id: activity.conversation?.id ?? 'unknown', type: activity.conversation?.conversationType ?? 'personal' },
      ...(activity.id ? { correlationId: activity.id } : {}),
    };
    return this.registry.dispatch(tokens, ctx);
  }

  private welcome(): Reply {
    const view = buildHelpView(this.registry.commands(), 'Hi! I keep an eye on Azure DevOps service connections. Try one of these:');
    return { kind: 'card', text: 'Hi! I manage Azure DevOps service connections. Say `help` to see what I can do.', card: renderCard('help', view) };
  }
}
