/**
 * The plan preview's view model: what will happen, per connection, before anyone approves it — first as numbered
 * steps in the person's words (each operation words its own: src/operations/<operation>/*.preview.ts), then the
 * warnings that matter; field changes and REST calls wait behind one "Show details". Built from the Plan alone
 * (the card is never the source of truth) and kept under Teams' ~28 KB for 500 connections by detailing the first
 * ones and summarising the rest.
 */
import type { Plan, PlanItem } from '../domain/plan';
import { plural } from './format';
import { inlineCode, outsideText } from './outside-text';
import { planStatusFields, type PlanCardState, type PlanStatusFields } from './plan-preview-status';
import { callLines, callsTitleOf, skippedText, totalsOf } from './plan-preview-parts';
import { compactWarnings, loudLines, warningLines } from './plan-warnings';
import { commandAction } from './command-action';
import { operationHooks, operationOf } from '../operations/operations';
import type { OperationHooks, StepSubject } from '../operations/operation';

export { planSummaryText } from './plan-summary';

export const PLAN_DETAIL_MAX = 20;
export const PLAN_COMPACT_MAX = 40;
/**
 * UTF-8 bytes the detailed items may take, and the compact lines: with the template's own markup per item
 * (~0.8 KB: drawn twice, steps up front and changes behind Show details) this keeps the worst case (long Unicode
 * names, every warning) under Teams' limit.
 */
const DETAIL_BUDGET = 17_000;
const COMPACT_BUDGET = 4_500;
/** A long plan's detailed items are folded behind Show details: fewer bytes, so its compact lines fit too. */
const FOLDED_DETAIL_BUDGET = 13_000;
const ITEM_MARKUP_BYTES = 800;
const NAME_MAX = 80;

export interface PlanItemView {
  heading: string;
  subtitle: string;
  steps: { text: string }[];
  changes: string;
  calls: string;
  hasWarnings: boolean;
  warnings: { text: string }[];
}

export interface PlanView extends PlanStatusFields {
  title: string;
  command: string;
  hasLoud: boolean;
  loud: { text: string }[];
  hasGeneral: boolean;
  general: { text: string }[];
  empty: boolean;
  emptyText: string;
  hasStepsTitle: boolean;
  stepsTitle: string;
  hasBulkSteps: boolean;
  bulkSteps: { text: string }[];
  items: PlanItemView[];
  itemsVisible: boolean;
  hasChanges: boolean;
  hasSuggestions: boolean;
  suggestions: { text: string }[];
  hasCompact: boolean;
  compact: string;
  compactVisible: boolean;
  hasMore: boolean;
  moreText: string;
  hasCalls: boolean;
  callsTitle: string;
  calls: { text: string }[];
  hasDetails: boolean;
  detailsTitle: string;
  detailsTargets: string[];
  hasSkipped: boolean;
  skippedVisible: boolean;
  skippedTitle: string;
  skipped: string;
  hasTotals: boolean;
  totals: string;
  footer: string;
}

const numbered = (steps: readonly string[]): { text: string }[] => steps.map((text, i) => ({ text: `${i + 1}. ${text}` }));

/** The calls in order, conditional ones in brackets: behind Show details, for whoever checks the REST sequence. */
const callsLine = (item: PlanItem): string => `Calls: ${item.calls.map((c) => (c.condition ? `(${c.method})` : c.method)).join(' → ')}`;

/** An item as its operation words it: steps up front; its field changes and calls for Show details. */
function itemView(hooks: OperationHooks, stepsSay: Parameters<typeof warningLines>[1]): (item: PlanItem) => PlanItemView {
  return (item) => {
    const described = hooks.describe(item);
    const name = outsideText(item.name, NAME_MAX);
    const warnings = warningLines(item.warnings, stepsSay);
    return {
      heading: name, subtitle: described.subtitle, steps: numbered(hooks.steps(item, { name, one: true })), changes: described.changes,
      calls: callsLine(item), hasWarnings: warnings.length > 0, warnings,
    };
  };
}

function compactLine(hooks: OperationHooks): (item: PlanItem) => string {
  return (item) => `${outsideText(item.name, 50)} · ${outsideText(item.projectName, 30)} · ${hooks.describe(item).compact}${compactWarnings(item.warnings)}`;
}

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** The longest prefix of `values` (at most `max`) whose sizes fit the budget. */
function withinBudget<T>(values: readonly T[], max: number, budget: number, size: (v: T) => number): T[] {
  const out: T[] = [];
  let used = 0;
  for (const value of values.slice(0, max)) {
    used += size(value);
    if (used > budget) break;
    out.push(value);
  }
  return out;
}

/** A plan this long shows one line per connection, with its steps said once for all; field diffs are behind "Show details". */
export const SHORT_PLAN_MAX = 3;

interface Layout { detailed: PlanItemView[]; compact: string[]; itemsVisible: boolean; compactVisible: boolean; bulkSteps: { text: string }[] }

/**
 * What shows at once and what waits behind "Show details": a short preview shows each connection's steps; a long
 * one its steps once and a line per connection; a finished plan only its outcome (the plan below is history). The
 * budget: a typical preview (one rotation) fits one screen at Teams' chat width (the browser test measures it).
 */
function layoutOf(plan: Plan, finished: boolean): Layout {
  const hooks = operationHooks(plan.operation);
  const short = plan.items.length <= SHORT_PLAN_MAX;
  // Only the items that can be shown are drawn: a 2,000-connection plan costs what its first 40 do.
  const view = itemView(hooks, operationOf(plan.operation).wording.stepsSay);
  const detailed = withinBudget(plan.items.slice(0, PLAN_DETAIL_MAX).map(view), PLAN_DETAIL_MAX, short ? DETAIL_BUDGET : FOLDED_DETAIL_BUDGET, (v) => bytes(v) + ITEM_MARKUP_BYTES);
  const from = short ? detailed.length : 0;
  const compact = withinBudget(plan.items.slice(from, from + PLAN_COMPACT_MAX).map(compactLine(hooks)), PLAN_COMPACT_MAX, COMPACT_BUDGET, (line) => bytes(line) + 4);
  const each: StepSubject = { name: 'each connection', one: false };
  const bulkSteps = !short && plan.items[0] ? numbered(hooks.steps(plan.items[0], each)) : [];
  return { detailed, compact, itemsVisible: short && !finished, compactVisible: !finished, bulkSteps };
}

function detailsFields(plan: Plan, layout: Layout, hasCalls: boolean, finished: boolean): Pick<PlanView, 'hasDetails' | 'detailsTitle' | 'detailsTargets'> {
  const targets = [
    ...(layout.detailed.length ? ['changes'] : []), ...(hasCalls ? ['calls'] : []),
    ...(!layout.compactVisible && layout.compact.length ? ['compact'] : []), ...(finished && plan.skipped.length ? ['skipped'] : []),
  ];
  return { hasDetails: targets.length > 0, detailsTitle: 'Show details', detailsTargets: targets };
}

/** A better way to the same end (rotate → convert), while the plan can still be left unapproved. */
function suggestionsOf(plan: Plan, state: PlanCardState | undefined) {
  const hooks = operationHooks(plan.operation);
  const open = !state || state.offerAlternatives === true;
  const found = !open || plan.items.length !== 1 ? [] : plan.items.flatMap((item) => hooks.suggest(item) ?? []);
  return { lines: found.map((s) => ({ text: `💡 ${s.text}` })), actions: found.flatMap((s) => (s.button ? [commandAction(s.button)] : [])) };
}

/** `state`: where the plan stands (approval workflow); without it the card is a bare preview. */
export function buildPlanView(plan: Plan, state?: PlanCardState): PlanView {
  const finished = state?.finished === true;
  const layout = layoutOf(plan, finished);
  const shownLines = layout.itemsVisible ? layout.detailed.length + layout.compact.length : layout.compact.length;
  const more = plan.items.length - shownLines;
  const loud = loudLines(plan.items.flatMap((i) => i.warnings));
  const calls = callLines(plan);
  const general = warningLines(plan.warnings);
  const status = planStatusFields(plan.id, state);
  const suggestions = suggestionsOf(plan, state);
  const subject = plan.items.length === 1 && plan.items[0] ? outsideText(plan.items[0].name, NAME_MAX) : plural(plan.items.length, 'connection');
  const totals = totalsOf(plan, operationOf(plan.operation).wording.toDo ?? 'to change', finished ? state?.done : undefined);
  return {
    ...status, commands: [...status.commands, ...suggestions.actions],
    title: `${finished ? 'The plan' : 'Plan'}: ${operationOf(plan.operation).wording.verb} ${subject}`,
    command: `You asked: ${inlineCode(plan.command, 500)}`,
    hasLoud: loud.length > 0 && !finished, loud,
    hasGeneral: general.length > 0 && !finished, general,
    empty: plan.items.length === 0,
    emptyText: plan.skipped.length ? 'Nothing to change: every connection was skipped (reasons below).' : 'Nothing to change: no connection matches.',
    hasStepsTitle: (layout.itemsVisible && layout.detailed.length > 0) || (layout.bulkSteps.length > 0 && !finished),
    stepsTitle: layout.bulkSteps.length ? 'What will happen, for each connection' : 'What will happen',
    hasBulkSteps: layout.bulkSteps.length > 0 && !finished, bulkSteps: layout.bulkSteps,
    items: layout.detailed, itemsVisible: layout.itemsVisible, hasChanges: layout.detailed.length > 0,
    hasSuggestions: suggestions.lines.length > 0, suggestions: suggestions.lines,
    hasCompact: layout.compact.length > 0, compact: layout.compact.join('\n\n'), compactVisible: layout.compactVisible,
    hasMore: more > 0 && !finished,
    moreText: `… and ${plural(more, 'more connection')}, all in this plan.`,
    hasCalls: calls.length > 0, callsTitle: callsTitleOf(plan, finished ? state?.done : undefined), calls,
    ...detailsFields(plan, layout, calls.length > 0, finished),
    hasSkipped: plan.skipped.length > 0, skippedVisible: !finished,
    skippedTitle: `${finished ? 'Skipped when planned' : 'Skipped'} (${plan.skipped.length})`,
    skipped: skippedText(plan),
    hasTotals: totals !== '', totals,
    footer: plan.items.length ? `Plan ${plan.id}${state ? '' : ' — awaiting approval (approval workflow not yet enabled)'}` : `Plan ${plan.id} — nothing to approve`,
  };
}
