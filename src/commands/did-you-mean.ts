/**
 * The rest of a line whose verb was mistyped, corrected for the verb it probably meant: `lst faild` → `list failed`,
 * `shwo sc-prd` → `show sc-prod`, one suggestion that fixes both. A word is changed only when one word the command
 * reads is clearly nearest (closest.ts `nearestUnique`); every other word, and every word that is already right, is
 * kept verbatim. Names come from the inventory (what the bot last read: no call is made for a hint), and only names
 * this conversation may see are suggested; `create`, whose name is a new one, never gets an existing name instead.
 */
import type { Command, CommandContext } from './command';
import { nearestUnique, type SuggestWork } from './closest';
import type { Token } from './tokenizer';
import { mayReadConnection, mayReadProject } from './visible';

/** Words looked at per line: a pasted paragraph is kept as typed after these, so a hint costs what a command does. */
export const CORRECTED_WORDS_MAX = 12;

/** What a slot after a keyword holds (`in <project>`), read from the usage line. */
type Slot = 'project' | 'verbatim';

interface Vocabulary {
  keywords: ReadonlySet<string>;
  /** keyword → what follows it ("in" → project, "type" → verbatim). */
  slots: ReadonlyMap<string, Slot>;
  /** Whether the command names an existing connection: `create`'s name is new, `list` takes none. */
  names: boolean;
  projects: readonly string[];
}

/** Keywords and keyword slots of a usage line: `list [failed|disabled|all] [in <project>]` → failed, disabled, all, in. */
function usageWords(usage: string): Pick<Vocabulary, 'keywords' | 'slots'> {
  const slots = new Map<string, Slot>();
  for (const [, keyword, placeholder] of usage.matchAll(/([a-z][a-z-]*) <([^>]*)>/g)) {
    slots.set(keyword as string, placeholder === 'project' ? 'project' : 'verbatim');
  }
  // A placeholder with what is glued to it (`<N>d`, `<vault>/<secret>`) is no keyword.
  const keywords = new Set(usage.replace(/\S*<[^>]*>\S*/g, ' ').match(/[a-z][a-z-]*/g) ?? []);
  return { keywords, slots };
}

/** A connection name as the inventory spells it, when this conversation may see a connection of that name. */
function visibleName(ctx: CommandContext, name: string): string | undefined {
  const match = ctx.inventory.view.lookup(name).find((m) => mayReadConnection(ctx, { project: { id: m.projectId, name: m.projectName }, connection: { name: m.entry.name } }));
  return match?.entry.name;
}

function visibleProjects(ctx: CommandContext): string[] {
  return ctx.inventory.view.projects().filter((p) => mayReadProject(ctx, p.projectId)).map((p) => p.projectName);
}

const has = (words: Iterable<string>, word: string): boolean => [...words].some((w) => w.toLowerCase() === word.toLowerCase());

/** A word for a keyword or a connection name: kept when it is one; else the nearest, a name only if visible. */
function keywordOrName(word: string, vocabulary: Vocabulary, ctx: CommandContext, work: SuggestWork): string {
  if (has(vocabulary.keywords, word) || (vocabulary.names && visibleName(ctx, word) !== undefined)) return word;
  const names = vocabulary.names ? ctx.inventory.view.knownNames() : [];
  const nearest = nearestUnique(word, (function* candidates() { yield* vocabulary.keywords; yield* names; })(), work);
  if (nearest === undefined || vocabulary.keywords.has(nearest)) return nearest ?? word;
  return visibleName(ctx, nearest) ?? word;
}

/** One word for its place in the line: kept when right, unknown or not clearly one thing; else the nearest. */
function corrected(word: Token, after: string | undefined, vocabulary: Vocabulary, ctx: CommandContext, work: SuggestWork): string {
  if (word.quoted) return word.value;
  const slot = after === undefined ? undefined : vocabulary.slots.get(after.toLowerCase());
  if (slot === 'verbatim') return word.value;
  if (slot === 'project') return has(vocabulary.projects, word.value) ? word.value : (nearestUnique(word.value, vocabulary.projects, work) ?? word.value);
  return keywordOrName(word.value, vocabulary, ctx, work);
}

/** The arguments as `command` would read them, each still a token (its quoting decided by the caller). */
export function correctArguments(command: Command, rest: readonly Token[], ctx: CommandContext, work: SuggestWork = { spent: 0 }): Token[] {
  if (rest.length === 0) return [];
  const vocabulary: Vocabulary = { ...usageWords(command.usage), names: command.names !== undefined, projects: visibleProjects(ctx) };
  return rest.map((token, i) => (i >= CORRECTED_WORDS_MAX ? token : { ...token, value: corrected(token, rest[i - 1]?.value, vocabulary, ctx, work) }));
}
