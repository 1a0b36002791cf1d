/**
 * What a reply may repeat of the user's own words. A name is echoed so the user sees what was looked up, but a
 * pasted wall of text must not come back as a wall, and a secret typed by mistake must not come back at all
 * (replies are shown to the whole channel and may be logged by Teams clients).
 */
import { truncate } from '../cards/format';
import { looksLikeSecret } from './secret-guard';

/** Characters of one user-supplied argument a reply repeats. */
export const ECHO_ARG_MAX = 80;
export const HIDDEN_ARG = '[hidden: looks like a secret]';

export function echoArg(value: string, max = ECHO_ARG_MAX): string {
  // Any suspected secret hides the whole argument: the rest of it may be the secret's other half.
  return looksLikeSecret(value) ? HIDDEN_ARG : truncate(value, max);
}
