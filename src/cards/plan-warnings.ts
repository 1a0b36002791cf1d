/**
 * A plan's warnings as a person reads them: the ones that destroy more than the connection loudly at the top, the
 * ones that matter with ⚠️, facts and safe defaults (an expiry date, "only these pipelines may use it") plainly,
 * and in a one-line-per-connection list a few words per warning, never its code.
 */
import type { PlanWarning, WarningCode } from '../domain/plan';
import { outsideProse } from './outside-text';

// Room for a federated credential's name, Entra issuer and audience in one line (the issuer move's preview).
const TEXT_MAX = 280;

/** Shown loudly, at the top, in the attention colour: they destroy more than the connection itself. */
export const LOUD: readonly WarningCode[] = ['DEEP_DELETE', 'DELETE_EVERYWHERE'];

/** Facts and safe defaults: worth reading, nothing to worry about, so no ⚠️. */
const FACT: ReadonlySet<WarningCode> = new Set<WarningCode>(['REVERT_DEADLINE', 'SECRET_EXPIRY', 'NEW_CONNECTION', 'ROLE_ASSIGNMENT', 'GAINS_ACCESS', 'LAST_USED', 'ISSUER_RETIRES', 'NEW_CREDENTIAL']);

/** A few words per warning for the compact list of a long plan (the full text is on the connection's own preview). */
const SHORT: Record<WarningCode, string> = {
  SHARED: 'shared with other projects', AUTOMATIC_TO_MANUAL: 'switches to Manual', RECENTLY_USED: 'used recently',
  REVERT_DEADLINE: 'revertible for a while', DEEP_DELETE: 'deletes its app registration too', DELETE_EVERYWHERE: 'deleted in every project',
  NOT_READY: 'not ready now', SECRET_EXPIRY: 'new expiry', LOSES_ACCESS: 'pipelines lose it', NO_RECENT_USE: 'no recent use',
  LAST_USED: 'last use on record', GAINS_ACCESS: 'pipelines gain it', NEW_CREDENTIAL: 'may get a new federated credential',
  OLD_CREDENTIAL_KEPT: 'old federated credential kept', IDENTITY_NOT_VISIBLE: 'identity not visible to scbot',
  ISSUER_RETIRES: 'old issuer retires', NEW_CONNECTION: 'new connection', NEW_APP: 'new app registration',
  ROLE_ASSIGNMENT: 'gets an Azure role', NO_ROLE: 'no Azure role',
};

export const isLoud = (w: PlanWarning): boolean => LOUD.includes(w.code);

/** The warnings worth a line below the steps, worded: loud ones are at the top instead, ones the steps say are left out. */
export function warningLines(warnings: readonly PlanWarning[], stepsSay: readonly WarningCode[] = []): { text: string }[] {
  return warnings.filter((w) => !isLoud(w) && !stepsSay.includes(w.code))
    .map((w) => ({ text: `${FACT.has(w.code) ? '' : '⚠️ '}${outsideProse(w.text, TEXT_MAX)}` }));
}

/** "⚠️ used recently, switches to Manual" for a compact line; empty when nothing needs a second look. */
export function compactWarnings(warnings: readonly PlanWarning[]): string {
  const worrying = [...new Set(warnings.filter((w) => !FACT.has(w.code)).map((w) => SHORT[w.code]))];
  return worrying.length ? ` · ⚠️ ${worrying.join(', ')}` : '';
}

/** Loud warnings once each at the top, with how many connections they concern. */
export function loudLines(warnings: readonly PlanWarning[]): { text: string }[] {
  const byCode = new Map<WarningCode, { text: string; count: number }>();
  for (const w of warnings.filter(isLoud)) {
    const seen = byCode.get(w.code);
    byCode.set(w.code, { text: seen?.text ?? w.text, count: (seen?.count ?? 0) + 1 });
  }
  return [...byCode.values()].map(({ text, count }) => ({ text: `🛑 ${outsideProse(text, TEXT_MAX)}${count > 1 ? ` (${count} connections)` : ''}` }));
}
