/**
 * A form for a command typed with arguments missing (`create`, `share sc-prod with`): one input per declared
 * argument (src/commands/declared-args.ts), a choice list where the operation's form offers one (its
 * `<op>.form.ts`), the values already known filled in. Submitting sends the values back with the verb `form`; the
 * bot turns them into the command line (`commandLineFrom`) and runs it exactly as if it had been typed.
 */
import type { ArgSpec, StructuredInput } from '../commands/declared-args';
import { cardText } from './format';
import { visibleText } from './outside-text';

/** The Action.Execute verb of a form's submit button; its data names the command (`{ form: <verb> }`). */
export const FORM_VERB = 'form';

export interface FormChoice {
  title: string;
  value: string;
}

/** Per argument name, the values a person may pick from (already narrowed to what they may see). */
export type FormChoices = Readonly<Record<string, readonly FormChoice[]>>;

export interface FormField {
  id: string;
  label: string;
  kind: 'text' | 'choice' | 'toggle';
  value: string;
  placeholder: string;
  required: boolean;
  multi: boolean;
  choices: FormChoice[];
}

export interface FormView {
  title: string;
  lines: { text: string }[];
  fields: FormField[];
  submitTitle: string;
  data: { form: string };
}

/** Teams shows a few hundred choices slowly and the filter finds the rest by typing: a bound keeps the card small. */
export const CHOICES_MAX = 100;
const VALUE_MAX = 500;
/** Worst-case bytes all choices together may weigh: the rest of the card (labels, values, a problem) fits beside. */
const CHOICES_BUDGET = 18_000;
const LABEL_MAX = 120;

function valueOf(arg: ArgSpec, input: StructuredInput): string {
  const value = input[arg.name];
  if (arg.kind === 'flag') return value === true ? 'true' : 'false';
  if (value === undefined || value === false) return '';
  // A multi-select ChoiceSet and a list typed as text both read "a,b": the same separator the submit splits on.
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function labelOf(arg: ArgSpec, labels: Readonly<Record<string, string>>): string {
  const how = arg.kind === 'option' && arg.list ? ' (one or more)' : '';
  return visibleText(`${labels[arg.name] ?? arg.description}${how}`, LABEL_MAX);
}

/**
 * The choices a card can carry: a value is sent back exactly, so one too long to carry whole is left out (it can be
 * typed), never cut; and all fields together share one budget so the card stays under Teams' ~28 KB.
 */
function offeredChoices(choices: readonly FormChoice[], budget: { chars: number }): FormChoice[] {
  const out: FormChoice[] = [];
  for (const c of choices) {
    if (out.length >= CHOICES_MAX) break;
    if (c.value.length > VALUE_MAX) continue;
    const title = visibleText(c.title, LABEL_MAX);
    // Characters may be 4 bytes: the budget counts what the card may weigh, in the worst case.
    const weight = 4 * (title.length + c.value.length) + 32;
    if (weight > budget.chars) break;
    budget.chars -= weight;
    out.push({ title, value: c.value });
  }
  return out;
}

/** One input for one argument: a toggle for a flag, a choice list where there are choices, else text. */
function fieldOf(arg: ArgSpec, offered: FormChoice[], input: StructuredInput, labels: Readonly<Record<string, string>>): FormField {
  const value = valueOf(arg, input).slice(0, VALUE_MAX);
  // A prefilled value the list does not hold stays offered: the form never drops what the person gave.
  const kept = value && offered.length && arg.kind !== 'flag' && !(arg.kind === 'option' && arg.list) && !offered.some((c) => c.value === value) ? [{ title: visibleText(value, LABEL_MAX), value }] : [];
  const kind = arg.kind === 'flag' ? 'toggle' : offered.length ? 'choice' : 'text';
  // Alternatives (`oneOf`) are each optional on the form; the parser says when none or two were given.
  const required = arg.kind !== 'flag' && arg.required && arg.oneOf === undefined;
  return {
    id: arg.name, label: labelOf(arg, labels), kind, value, required, multi: arg.kind === 'option' && arg.list === true,
    placeholder: arg.kind === 'flag' ? '' : visibleText(`e.g. ${arg.example}`, LABEL_MAX), choices: [...kept, ...offered],
  };
}

/**
 * The form of a command: `problem` (why it is shown: the parser's or the planner's answer) above the inputs.
 * `args` in declaration order; every one gets an input, so a submit can say everything the typed line can.
 */
export function buildFormView(verb: string, args: readonly ArgSpec[], choices: FormChoices, input: StructuredInput, problem?: string, labels: Readonly<Record<string, string>> = {}): FormView {
  const budget = { chars: CHOICES_BUDGET };
  return {
    title: cardText(`${verb[0]?.toUpperCase() ?? ''}${verb.slice(1)}: fill in what is missing`, 120),
    lines: problem ? [{ text: cardText(problem, 500) }] : [],
    fields: args.map((arg) => fieldOf(arg, arg.kind === 'flag' ? [] : offeredChoices(choices[arg.name] ?? [], budget), input, labels)),
    submitTitle: 'Preview the plan',
    data: { form: verb },
  };
}
