/**
 * How an answer from the inventory says its age (issue 24: inventory data is never shown as live without it). The
 * age is that of the oldest project list the answer comes from. `checking`: a refresh is under way and the card is
 * replaced if the fresh answer differs; `current`: within the freshness window (or just read); `refreshed`: the card
 * replaced after the refresh; `check-failed`: the refresh could not read Azure DevOps, the answer keeps its age.
 */
import { agoText } from '../domain/connection-change';

export type AgeState = { kind: 'checking' } | { kind: 'current' } | { kind: 'refreshed' } | { kind: 'check-failed'; referenceId: string };

export interface InventoryAge {
  /** When the oldest list the answer comes from was read (ms). */
  readAt: number;
  now: Date;
  state: AgeState;
}

/** "as of 5 min ago": for the one-line summary (notification preview, fallback text). */
export function ageShort(age: InventoryAge): string {
  return `as of ${agoText(age.readAt, age.now)}`;
}

/** The line under the card's summary. */
export function ageLine(age: InventoryAge): string {
  const asOf = `From my inventory of connections, ${ageShort(age)}`;
  switch (age.state.kind) {
    case 'checking': return `${asOf}. I'm checking Azure DevOps now: this card changes if anything did.`;
    case 'current': return `${asOf}.`;
    case 'refreshed': return `${asOf}: updated after checking Azure DevOps.`;
    case 'check-failed': return `${asOf}. Azure DevOps could not be checked just now (reference ${age.state.referenceId}): ask again in a few minutes for a fresher answer.`;
  }
}
