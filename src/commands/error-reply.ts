import { errorCodeOf } from '../domain/errors';
import { errorText } from '../cards/error-text';
import type { Logger } from '../logging';
import { newReferenceId } from '../ids';
import type { Reply } from './command';

/**
 * Turn a thrown error into a reply, logging the code and a fresh reference id so an operator can find the
 * details the user does not see. The error's message goes to the log only (pino's err serializer keeps
 * name, code, message and status: no stack, no cause).
 */
export function replyForError(error: unknown, command: string, logger: Logger): Reply {
  const code = errorCodeOf(error);
  const referenceId = newReferenceId();
  logger.error({ err: error, code, referenceId, command }, 'command failed');
  return { kind: 'text', text: errorText(code, command, referenceId) };
}
