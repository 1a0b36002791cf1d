/**
 * Greetings and questions about the bot ("hello", "hi there", "what can you do?", "help me", "?"): a person trying
 * it out says these before any command, and deserves the welcome rather than "I don't know the command hello". Only
 * whole short lines whose first word says so: "what is wrong with sc-prod" is a question too, and the welcome answers
 * it with its "What's broken" button; a typo of a command ("lst") is never a greeting. A command after a greeting
 * ("hi, list failed", "please show sc-prod") is that command: the greeting never swallows it.
 */
import type { Token } from './tokenizer';

const GREETINGS = new Set(['hello', 'hi', 'hey', 'hiya', 'howdy', 'hallo', 'yo', 'greetings', 'morning', 'good', 'start', 'started', 'thanks', 'thank']);
const QUESTIONS = new Set(['what', 'who', 'how', 'why', 'can', 'could', 'what\'s', 'whats', 'anything']);
/** Words around a greeting or after "help" that ask for nothing in particular ("hi there bot", "help me please"). */
const FILLER = new Set(['', 'there', 'all', 'bot', 'scbot', 'please', 'pls', 'plz', 'me', 'us', 'out', 'i', 'need', 'some', 'help', 'you', 'team', 'folks', 'everyone']);
/** A greeting or a question about the bot is a few words; a longer line is something else that went wrong. */
const MAX_WORDS = 8;

/** A word as a greeting is read: lower case, trailing punctuation dropped ("Hi!" → "hi", "?" → ""); quoted is no word. */
const word = (token: Token | undefined): string => (token?.quoted ? '\u0000' : (token?.value ?? '').toLowerCase().replace(/[!?.,:;]+$/, ''));

export type GreetingLine =
  /** The welcome answers the whole line. */
  | { kind: 'greeting' }
  /** A command after greeting words: its tokens, from its verb on. */
  | { kind: 'command'; tokens: readonly Token[] }
  | { kind: 'other' };

/** "help me", "help?", "help please": help asked for in general; never `help` itself or `help <command>`. */
function helpInGeneral(tokens: readonly Token[]): boolean {
  const [first, ...rest] = tokens;
  if (word(first) !== 'help') return false;
  return rest.length > 0 ? rest.every((t) => FILLER.has(word(t))) : first?.value.toLowerCase() !== 'help';
}

export function isGreeting(tokens: readonly Token[]): boolean {
  if (tokens.length === 0 || tokens.length > MAX_WORDS) return false;
  const words = tokens.map(word);
  const first = words[0] as string;
  // "?", "??", "!": a question with no words is still a question.
  if (words.every((w) => w === '')) return true;
  if (GREETINGS.has(first) || helpInGeneral(tokens)) return true;
  return QUESTIONS.has(first) && tokens.length > 1;
}

/**
 * What a line is, before its verb is looked up: the greeting, a command after greeting words (the words before it
 * all greeting or filler, so "hello there, list failed" runs `list failed`), or anything else.
 */
export function readGreeting(tokens: readonly Token[], isVerb: (word: string) => boolean): GreetingLine {
  const start = tokens.findIndex((t) => !t.quoted && isVerb(t.value));
  const before = tokens.slice(0, Math.max(start, 0)).map(word);
  const greeted = before.length > 0 && GREETINGS.has(before[0] as string) && before.every((w) => GREETINGS.has(w) || FILLER.has(w));
  // "help me" is help in general, whatever precedes it; "hi, help list" is `help list`.
  if (start > 0 && greeted && !helpInGeneral(tokens.slice(start))) return { kind: 'command', tokens: tokens.slice(start) };
  return isGreeting(tokens) || isGreeting(tokens.slice(Math.max(start, 0))) ? { kind: 'greeting' } : { kind: 'other' };
}
