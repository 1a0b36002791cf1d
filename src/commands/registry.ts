import { messageReply, warningReply } from '../cards/message-view';
import { inlineCode } from '../cards/outside-text';
import type { Command, CommandContext, Reply } from './command';
import { closestMatches } from './closest';
import { correctArguments } from './did-you-mean';
import { echoCode } from './echo-arg';
import { replyForError } from './error-reply';
import type { Token } from './tokenizer';
import { echo, tokenize } from './tokenizer';
import { formReply, incompleteReply, readFormSubmit, VALUES_KEPT } from './forms';
import { gateCommand, gateConfiguration, gateTenant } from './request-gate';
import { scopedToConversation } from './policy-request-gate';
import { carriesSecret, exposedSecretReply } from './secret-guard';
import { readGreeting } from './greeting';
import { annotateActiveSpan } from '../telemetry/otel-telemetry';

/**
 * The declarative command registry: verbs are matched exactly (case-insensitive) against ids and aliases, so
 * "blacklist" never runs `list`. Duplicates are a start-up error, not a silent override.
 */
export class CommandRegistry {
  private readonly byVerb = new Map<string, Command>();
  private readonly ordered: Command[] = [];
  private greeter: Command | undefined;

  register(command: Command): this {
    const verbs = [command.id, ...(command.aliases ?? [])].map((v) => v.toLowerCase());
    for (const verb of verbs) {
      if (!/^[a-z][a-z0-9-]*$/.test(verb)) throw new Error(`Command verb "${verb}" must be one lower-case word`);
      const owner = this.byVerb.get(verb);
      if (owner) throw new Error(`Command verb "${verb}" of "${command.id}" is already registered by "${owner.id}"`);
    }
    if (new Set(verbs).size !== verbs.length) throw new Error(`Command "${command.id}" repeats a verb`);
    if (command.greets && this.greeter) throw new Error(`Command "${command.id}" greets, but "${this.greeter.id}" already does`);
    if (command.greets) this.greeter = command;
    for (const verb of verbs) this.byVerb.set(verb, command);
    this.ordered.push(command);
    return this;
  }

  commands(): readonly Command[] {
    return this.ordered;
  }

  find(verb: string): Command | undefined {
    return this.byVerb.get(verb.toLowerCase());
  }

  /** Ids and aliases closest to a verb the registry does not know. */
  suggest(verb: string): string[] {
    return closestMatches(verb, this.byVerb.keys(), 2).map((v) => this.byVerb.get(v)?.id ?? v).filter((v, i, all) => all.indexOf(v) === i);
  }

  /** Parse and run one command line. Never throws: failures become a translated reply with a reference id. */
  async dispatch(tokens: readonly Token[], turn: CommandContext): Promise<Reply> {
    return (await this.answer(tokens, turn)).reply;
  }

  /**
   * A submitted form (src/commands/forms.ts): its values as the command line they stand for, run like a typed one.
   * An answer other than a plan (an unknown role, a name taken) comes with the form again, the values kept; never
   * when the line was refused before its values were read (policy, tenant, a secret in it).
   */
  async submitForm(data: unknown, turn: CommandContext): Promise<Reply[] | undefined> {
    const submit = readFormSubmit(data, (verb) => this.find(verb));
    if (!submit) return undefined;
    const { reply, reached } = await this.answer(tokenize(submit.line, { verbatim: true }), turn);
    if (!reached || (reply.kind === 'card' && ['plan-preview', 'form'].includes(reply.view.template))) return [reply];
    try {
      return [reply, await formReply(submit.command, reached, submit.input, VALUES_KEPT)];
    } catch (error) {
      return [reply, replyForError(error, submit.command.id, reached.logger)];
    }
  }

  /** `reached`: the context the command ran in, once the line passed every gate and the secret guard. */
  private async answer(tokens: readonly Token[], turn: CommandContext): Promise<{ reply: Reply; reached?: CommandContext }> {
    // Under a policy file, every command reads only what this conversation may see (policy-request-gate.ts).
    const ctx = turn.policyGate?.enforced() ? scopedToConversation(turn.policyGate, turn) : turn;
    // "hi, list failed" is `list failed`; "hello", "help me", "?" (and an empty message) are the greeting, which reads
    // the whole line as its arguments.
    const read = readGreeting(tokens, (word) => this.find(word) !== undefined);
    const line = read.kind === 'command' ? read.tokens : tokens;
    const [verbToken, ...afterVerb] = line;
    const verb = verbToken?.value ?? this.greeter?.id ?? 'help';
    const greeting = read.kind === 'greeting' && this.greeter !== undefined;
    const command = greeting ? this.greeter : this.find(verb);
    const rest = greeting ? tokens : afterVerb;
    try {
      // Strangers first: nothing below (suggestions, echo, the secret guard) runs for a tenant that is not allowed.
      const stranger = await gateTenant(line, command, ctx);
      if (stranger) return { reply: stranger };
    } catch (error) {
      return { reply: replyForError(error, command?.id ?? '…', ctx.logger) };
    }
    // A message that carries a secret is refused whole, before any command, greeting or hint reads it: one guard for
    // every message, so a new command cannot forget it, and no reply can echo a piece of it ("password <value>" split
    // in two). It is exposed in the chat whatever it was meant for: the answer says how to revoke it.
    const exposed = carriesSecret(tokens) ? exposedSecretReply(tokens) : undefined;
    if (!command) return { reply: exposed ?? this.unknownReply(verb, afterVerb, ctx) };
    // The registry's id, never the typed words (a line may carry a secret): the turn's span says what ran.
    annotateActiveSpan({ command: command.id });
    const echoed = line.length ? echo(line) : verb;
    try {
      // Policy first: a refused command is not parsed, read or planned.
      const refusal = await gateCommand(command, echoed, ctx);
      // A refused attempt is audited (its secret masked by echo); the person still learns the secret is exposed.
      const stop = exposed ?? refusal;
      if (stop) return { reply: stop };
      const args = command.parse(rest);
      if (!args.ok) return { reply: (await incompleteReply(command, rest, ctx, args.error.message)) ?? usageReply(command, args.error.message), reached: ctx };
      // A button pinned to one connection runs only a command about exactly one: never `delete failed`, never `list`.
      if (ctx.pinned && command.names?.(args.value) === undefined) return { reply: pinMismatchReply(echoed, ctx.pinned.connectionId) };
      if (command.configures?.(args.value)) {
        const refused = await gateConfiguration(command, echoed, ctx);
        if (refused) return { reply: refused };
      }
      return { reply: await command.run(args.value, ctx), reached: ctx };
    } catch (error) {
      return { reply: replyForError(error, echoed, ctx.logger) };
    }
  }

  /**
   * A verb it does not know: the closest verbs, each with the rest of the line corrected for that verb and kept
   * where it is right ("shwo sc-prd" → `show sc-prod`, did-you-mean.ts), so the button finishes what was typed. A
   * line that carries a secret never gets here: it gets no suggestion, only the warning (exposedSecretReply).
   */
  private unknownReply(verb: string, rest: readonly Token[], ctx: CommandContext): Reply {
    const work = { spent: 0 };
    const suggestions = [...new Set(this.suggest(verb).map((id) => {
      const command = this.find(id) as Command;
      const tail = correctArguments(command, rest, ctx, work).map(quotedIfNeeded).join(' ');
      return tail ? `${id} ${tail}` : id;
    }))];
    const title = `I don't know the command ${echoCode(verb, 40)}.`;
    const hint = suggestions.length ? `Did you mean ${suggestions.map((s) => inlineCode(s, 120)).join(' or ')}?` : '';
    const lines = [hint, 'Say `help` to see what I can do.'];
    const commands = [...new Set([...suggestions, 'help'])];
    return messageReply(title, lines, commands.map((c) => ({ title: c, command: c })));
  }
}

/** A word as a command line must carry it: quoted (quotes doubled) when it was, or would not read as one word. */
const quotedIfNeeded = (t: Token): string => (t.quoted || /[\s"]/.test(t.value) ? `"${t.value.replace(/"/g, '""')}"` : t.value);

function pinMismatchReply(echoed: string, connectionId: string): Reply {
  return warningReply(`This button was made for connection ${connectionId}, but ${inlineCode(echoed, 120)} does not act on one connection: I did nothing.`, ['Type the command you want instead.']);
}

export function usageReply(command: Command, problem: string): Reply {
  const examples = command.examples.length ? ` Examples: ${command.examples.map((e) => `\`${e}\``).join(', ')}.` : '';
  return { kind: 'text', text: `${problem} Usage: \`${command.usage}\`.${examples}` };
}
