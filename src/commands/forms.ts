/**
 * Forgiving input (issue 27): a command typed with arguments missing answers with a form of its declared arguments
 * (src/cards/form-view.ts, the choices from the operation's `<op>.form.ts`), the words already typed filled in. A
 * submitted form becomes the command line `commandLineFrom` writes, and the registry runs that line exactly as a
 * typed one: the same tokenizer, gate, secret guard, parser and planner.
 */
import type { ArgSpec, StructuredInput } from './declared-args';
import { commandLineFrom } from './declared-args';
import type { Command, CommandContext, Reply } from './command';
import type { Token } from './tokenizer';
import { commaList, joined } from './access-reads';
import { buildFormView } from '../cards/form-view';
import { pickListReply } from './pick-list';
import { errorCodeOf } from '../domain/errors';

/** A command with a form: its declared arguments are what the form asks for. */
export type FormCommand = Command & { args: readonly ArgSpec[]; form: NonNullable<Command['form']> };

export const hasForm = (command: Command | undefined): command is FormCommand => command?.form !== undefined && command.args !== undefined;

const isWordAt = (tokens: readonly Token[], at: number, words: readonly string[]): boolean =>
  words.every((word, i) => tokens[at + i] !== undefined && !tokens[at + i]?.quoted && tokens[at + i]?.value.toLowerCase() === word);

function valueOf(arg: ArgSpec, tokens: readonly Token[]): string | string[] | undefined {
  if (tokens.length === 0) return undefined;
  return arg.kind === 'option' && arg.list ? commaList(tokens) : joined(tokens);
}

/**
 * What a line already says, read by the declared arguments alone: the words before any keyword are the name, a
 * keyword's words (up to the next keyword) its value, a flag's words present or not. Only to fill a form in: the
 * command's own parser still reads whatever the form sends.
 */
export function partialInput(args: readonly ArgSpec[], tokens: readonly Token[]): StructuredInput {
  const input: Record<string, string | boolean | string[]> = {};
  let current: ArgSpec | undefined = args.find((a) => a.kind === 'positional');
  let words: Token[] = [];
  const flush = (): void => {
    const value = current ? valueOf(current, words) : undefined;
    if (current && value !== undefined && value.length > 0 && input[current.name] === undefined) input[current.name] = value;
    words = [];
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const flag = args.find((a) => a.kind === 'flag' && isWordAt(tokens, i, a.word.split(' ')));
    const option = args.find((a) => a.kind === 'option' && isWordAt(tokens, i, [a.keyword]));
    if (flag?.kind === 'flag') {
      flush();
      input[flag.name] = true;
      i += flag.word.split(' ').length - 1;
      current = undefined;
    } else if (option) {
      flush();
      current = option;
    } else {
      words.push(tokens[i] as Token);
    }
  }
  flush();
  return input;
}

/** The form of `command`, its choices read now for this conversation (ctx is already narrowed by the policy). */
export async function formReply(command: FormCommand, ctx: CommandContext, input: StructuredInput, problem: string): Promise<Reply> {
  const choices = await command.form.choices(ctx, input);
  const model = buildFormView(command.id, command.args, choices, input, problem, command.form.labels);
  return { kind: 'card', text: `${model.title}. ${problem}`, view: { template: 'form', model } };
}

/** A form's submit, read: the command it names and the line its values stand for. Card data may be anything. */
export interface FormSubmit {
  command: FormCommand;
  input: StructuredInput;
  line: string;
}

/** Longest value a form field may send (the form's inputs allow 500; anything longer was not typed into it). */
const VALUE_MAX = 2_000;

function submittedValue(arg: ArgSpec, raw: unknown): string | boolean | string[] | undefined {
  if (typeof raw !== 'string' || raw.length > VALUE_MAX) return undefined;
  if (arg.kind === 'flag') return raw === 'true' ? true : undefined;
  if (raw.trim() === '') return undefined;
  // A multi-select ChoiceSet sends "a,b"; a list typed into text reads the same way.
  if (arg.kind === 'option' && arg.list) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  return raw;
}

export function readFormSubmit(data: unknown, find: (verb: string) => Command | undefined): FormSubmit | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const fields = data as Record<string, unknown>;
  const command = typeof fields.form === 'string' ? find(fields.form) : undefined;
  // Only a command that offers a form takes one, and only under its own id (never an alias the data names).
  if (!hasForm(command) || command.id !== fields.form) return undefined;
  const input = Object.fromEntries(command.args.map((arg) => [arg.name, submittedValue(arg, fields[arg.name])]).filter(([, v]) => v !== undefined));
  return { command, input, line: commandLineFrom(command.id, command.args, input) };
}

/** The arguments without the words after the id that a command's lines start with ("issuer" of `migrate issuer`). */
function afterVerbWords(command: Command, rest: readonly Token[]): readonly Token[] {
  const words = (command.verb ?? command.id).split(' ').slice(1);
  const typed = words.every((w, i) => rest[i] !== undefined && !rest[i]?.quoted && rest[i]?.value.toLowerCase() === w);
  return typed ? rest.slice(words.length) : rest;
}

/** What the answer to a bad submit adds: the same form, the person's values in it. */
export const VALUES_KEPT = 'Your values are kept below: change what the answer above says, then preview again.';

/**
 * The answer to arguments that did not parse, when the command can help more than its usage line: its form, or
 * (nothing but a project given) the pick-list of connections it would act on. Undefined: the usage answer.
 */
export async function incompleteReply(command: Command, rest: readonly Token[], ctx: CommandContext, problem: string): Promise<Reply | undefined> {
  // A button's command was written by the bot: a failure there is answered plainly, never with a form.
  if (ctx.pinned) return undefined;
  try {
    // The bare verb asked for nothing wrong: the form is the answer, not a complaint about what was left out.
    if (hasForm(command)) return await formReply(command, ctx, partialInput(command.args, rest), rest.length === 0 ? 'Fill these in, then preview the plan.' : problem);
    if (!command.pick) return undefined;
    const given = partialInput(command.args ?? [], afterVerbWords(command, rest));
    const project = typeof given.project === 'string' ? given.project : undefined;
    return Object.keys(given).every((k) => k === 'project') ? await pickListReply({ ...command, pick: command.pick }, ctx, project) : undefined;
  } catch (error) {
    // The choices could not be read (Azure DevOps down, throttled): the usage answer still says what to type.
    ctx.logger.warn({ err: error, code: errorCodeOf(error), command: command.id }, 'form or pick-list: choices unreadable, answering with the usage');
    return undefined;
  }
}
