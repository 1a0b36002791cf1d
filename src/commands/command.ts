import type { Logger } from '../logging';
import type { Clock } from '../domain/clock';
import type { Result } from '../domain/errors';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Token } from './tokenizer';

/** A rendered Adaptive Card (plain JSON, ready to be an attachment). */
export type CardJson = Record<string, unknown>;

/**
 * What a command answers, as a value: the bot layer turns it into an activity. `text` is always a short
 * summary (the notification preview, and the fallback for clients that cannot show cards).
 */
export type Reply = { kind: 'text'; text: string } | { kind: 'card'; text: string; card: CardJson };

export interface CommandContext {
  endpoints: ServiceEndpoints;
  /** Configured project names or ids; empty means every project the bot's identity can see. */
  projects: readonly string[];
  clock: Clock;
  logger: Logger;
  user: { id: string; name: string; aadObjectId?: string };
  conversation: { id: string; type: string };
}

/** Why arguments did not parse; the registry answers with the command's usage. */
export interface UsageError {
  message: string;
}

export interface Command<Args = unknown> {
  id: string;
  aliases?: readonly string[];
  /** One line, e.g. "show <name> [in <project>]". */
  usage: string;
  summary: string;
  examples: readonly string[];
  /** A mutating command must go plan → card → approve → execute. */
  mutates: boolean;
  parse(tokens: readonly Token[]): Result<Args, UsageError>;
  run(args: Args, ctx: CommandContext): Promise<Reply>;
}

export const textReply = (text: string): Reply => ({ kind: 'text', text });
