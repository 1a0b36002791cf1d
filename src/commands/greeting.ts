/**
 * Greetings and questions about the bot ("hello", "hi there", "what can you do?"): a person trying it out says these
 * before any command, and deserves the welcome rather than "I don't know the command hello". Only whole short lines
 * whose first word says so: "what is wrong with sc-prod" is a question too, and the welcome answers it with its
 * "What's broken" button; a typo of a command ("lst") is never a greeting.
 */
import type { Token } from './tokenizer';

const GREETINGS = new Set(['hello', 'hi', 'hey', 'hiya', 'howdy', 'hallo', 'yo', 'greetings', 'morning', 'good', 'start', 'started', 'thanks', 'thank']);
const QUESTIONS = new Set(['what', 'who', 'how', 'why', 'can', 'could', 'what\'s', 'whats', 'anything']);
/** A greeting or a question about the bot is a few words; a longer line is something else that went wrong. */
const MAX_WORDS = 8;

const word = (token: Token | undefined): string => (token?.quoted ? '' : (token?.value ?? '').toLowerCase().replace(/[!?.,:;]+$/, ''));

export function isGreeting(tokens: readonly Token[]): boolean {
  if (tokens.length === 0 || tokens.length > MAX_WORDS) return false;
  const first = word(tokens[0]);
  if (GREETINGS.has(first)) return true;
  return QUESTIONS.has(first) && tokens.length > 1;
}
