/** What the radar says about itself: it cannot scan (after a few failures in a row), and it can again. */
import { ERROR_TEXT } from '../cards/error-text';
import type { CardMessage } from '../cards/card';
import type { ErrorCode } from '../domain/errors';
import { messageCard } from '../cards/message-view';
import { formatUtc } from '../cards/format';

/** Failed scans in a row before the subscribers are told the radar cannot see. */
export const BLIND_AFTER = 2;

export function radarBlindMessage(code: ErrorCode, failed: number, lastOkAt: string | undefined, referenceId: string): CardMessage {
  const { what, next } = ERROR_TEXT[code];
  const title = 'I cannot scan Azure DevOps for alerts right now.';
  const lines = [
    `${what} ${next}`,
    `${failed} scans in a row failed; ${lastOkAt ? `the last one that worked started ${formatUtc(lastOkAt) ?? lastOkAt}` : 'none has worked yet'}. Until scans work again I cannot tell you about new problems.`,
    `Reference: ${referenceId}`,
  ];
  return { text: `${title} ${lines[0]}`, view: messageCard(title, lines, [{ title: 'alerts status', command: 'alerts status' }], 'error') };
}

export function radarBackMessage(blindSince: string, now: string): CardMessage {
  const title = 'Alert scans work again.';
  const lines = [`Scans failed from ${formatUtc(blindSince) ?? blindSince} until ${formatUtc(now) ?? now}; what is open now is posted here as usual.`];
  return { text: `${title} ${lines[0]}`, view: messageCard(title, lines, [{ title: 'alerts status', command: 'alerts status' }]) };
}
