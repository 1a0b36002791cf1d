import type { Reply } from '../../cards/card';
import type { ToolOutcome } from '../tool';

/**
 * A use case's "I can't answer that" chat reply (no such connection, which of two projects?, no such project) as a
 * tool's answer: its summary text, which names what to ask instead. Chat markdown escapes (`\*`) are dropped: the
 * model reads plain text.
 */
export function notAnswered(reply: Reply, code: string): ToolOutcome<never> {
  return { ok: false, code, text: reply.text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, '$1') };
}
