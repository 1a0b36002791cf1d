/**
 * The parts of the plan card that say where the plan stands and what can be done with it: a status banner, the
 * Action.Execute buttons (approve, reject, retry) whose data is only `{ planId, version }`, buttons that send a
 * command (re-plan), and the Universal Actions refresh for the users who should get a personal view.
 */
import type { CommandButton } from '../domain/command-line';
import { commandAction, type CardAction } from './command-action';
import { cardText } from './format';

export type PlanCardTone = 'info' | 'good' | 'warning' | 'attention';

/** Verbs the invoke handler knows; a card never carries any other. */
export const PLAN_CARD_VERBS = ['approve', 'reject', 'retry', 'refresh'] as const;
export type PlanCardVerb = (typeof PLAN_CARD_VERBS)[number];

export interface PlanCardState {
  title: string;
  lines: readonly string[];
  tone: PlanCardTone;
  buttons: ReadonlyArray<{ title: string; verb: Exclude<PlanCardVerb, 'refresh'> }>;
  /** Buttons that send a command (plan again): pinned to the plan's connection when it named one. */
  commands: ReadonlyArray<CommandButton>;
  /** The plan revision the card shows (its fingerprint): sent back with every button. */
  version: string;
  /** Waiting for a decision: the card may offer a better way to the same end (rotate → Convert instead). */
  offerAlternatives?: boolean;
  /** Settled (done, failed, rejected, …): the preview below is history, its details folded away. */
  finished?: boolean;
  /** Finished runs: how many connections were done (the totals line then speaks in the past tense). */
  done?: number;
  /** Users whose client asks for a personal view (refresh); at most 60 per Teams' limit. */
  refreshUserIds?: readonly string[];
}

export interface PlanStatusFields {
  planId: string;
  version: string;
  hasStatus: boolean;
  statusTitle: string;
  statusStyle: string;
  statusLines: { text: string }[];
  buttons: { title: string; verb: string; style: string }[];
  commands: CardAction[];
  hasRefresh: boolean;
  refreshUserIds: string[];
}

const STYLE: Record<PlanCardTone, string> = { info: 'emphasis', good: 'good', warning: 'warning', attention: 'attention' };
const LINES_MAX = 14;
const REFRESH_USERS_MAX = 60;

export function planStatusFields(planId: string, state: PlanCardState | undefined): PlanStatusFields {
  if (!state) {
    return { planId, version: '', hasStatus: false, statusTitle: '', statusStyle: 'default', statusLines: [], buttons: [], commands: [], hasRefresh: false, refreshUserIds: [] };
  }
  const refresh = (state.refreshUserIds ?? []).slice(0, REFRESH_USERS_MAX);
  return {
    planId, version: state.version, hasStatus: true,
    statusTitle: cardText(state.title, 200), statusStyle: STYLE[state.tone],
    statusLines: state.lines.slice(0, LINES_MAX).map((text) => ({ text: cardText(text, 1000) })),
    buttons: state.buttons.map((b) => ({ title: b.title, verb: b.verb, style: b.verb === 'approve' ? 'positive' : b.verb === 'reject' ? 'destructive' : 'default' })),
    commands: state.commands.map(commandAction),
    hasRefresh: refresh.length > 0,
    refreshUserIds: [...refresh],
  };
}
