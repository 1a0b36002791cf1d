/**
 * The plan preview's view model: what will change, per connection, before anyone approves it. Built from the
 * Plan alone (the card is never the source of truth) and kept under Teams' ~28 KB for 500 connections by
 * detailing the first ones and summarising the rest.
 */
import type { Plan, PlanItem, PlanWarning, WarningCode } from '../domain/plan';
import { plural } from './format';
import { inlineCode, outsideProse, outsideText } from './outside-text';
import { planStatusFields, type PlanCardState, type PlanStatusFields } from './plan-preview-status';
import { callLines, skippedText, totalsOf } from './plan-preview-parts';

export { planSummaryText } from './plan-summary';
import { operationHooks, operationOf } from '../operations/operations';
import type { OperationHooks } from '../operations/operation';

type Describe = OperationHooks['describe'];

export const PLAN_DETAIL_MAX = 20;
export const PLAN_COMPACT_MAX = 40;
/**
 * UTF-8 bytes the detailed items may take, and the compact lines: with the template's own markup per item
 * (~0.6 KB) this keeps the worst case (long Unicode names, every warning) under Teams' limit.
 */
const DETAIL_BUDGET = 19_000;
const COMPACT_BUDGET = 4_500;
/** A long plan's detailed items are folded behind Show details: fewer bytes, so its compact lines fit too. */
const FOLDED_DETAIL_BUDGET = 15_000;
const ITEM_MARKUP_BYTES = 500;
const NAME_MAX = 80;
// Room for a federated credential's name, Entra issuer and audience in one line (the issuer move's preview).
const TEXT_MAX = 280;

/** Shown loudly, at the top, in the attention colour: they destroy more than the connection itself. */
const LOUD: readonly WarningCode[] = ['DEEP_DELETE', 'DELETE_EVERYWHERE'];


export interface PlanItemView {
  heading: string;
  subtitle: string;
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
  items: PlanItemView[];
  itemsVisible: boolean;
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
  skippedTitle: string;
  skipped: string;
  totals: string;
  footer: string;
}

function callsLine(item: PlanItem): string {
  const steps = item.calls.map((c) => (c.condition ? `(${c.method})` : c.method));
  return `Calls: ${steps.join(' → ')}`;
}

function warningView(w: PlanWarning): { text: string } {
  return { text: `${LOUD.includes(w.code) ? '🛑' : '⚠️'} ${outsideProse(w.text, TEXT_MAX)}` };
}

/** An item as its operation describes it (operations/<operation>/*.preview.ts), with its calls and warnings. */
function itemView(describe: Describe): (item: PlanItem) => PlanItemView {
  return (item) => {
    const described = describe(item);
    return {
      heading: outsideText(item.name, NAME_MAX), subtitle: described.subtitle, changes: described.changes,
      calls: callsLine(item), hasWarnings: item.warnings.length > 0, warnings: item.warnings.map(warningView),
    };
  };
}

function compactLine(describe: Describe): (item: PlanItem) => string {
  return (item) => {
    const codes = [...new Set(item.warnings.map((w) => w.code))];
    return `${outsideText(item.name, 50)} · ${outsideText(item.projectName, 30)} · ${describe(item).compact}${codes.length ? ` · ⚠️ ${codes.join(', ')}` : ''}`;
  };
}

/** Loud warnings once each at the top, with how many connections they concern. */
function loudLines(plan: Plan): { text: string }[] {
  const byCode = new Map<WarningCode, { text: string; count: number }>();
  for (const w of plan.items.flatMap((i) => i.warnings).filter((x) => LOUD.includes(x.code))) {
    const seen = byCode.get(w.code);
    byCode.set(w.code, { text: seen?.text ?? w.text, count: (seen?.count ?? 0) + 1 });
  }
  return [...byCode.values()].map(({ text, count }) => ({ text: `🛑 ${outsideProse(text, TEXT_MAX)}${count > 1 ? ` (${count} connections)` : ''}` }));
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

/** A plan this long shows one line per connection; its field diffs are behind "Show details". */
export const SHORT_PLAN_MAX = 3;

interface Layout { detailed: PlanItemView[]; compact: string[]; itemsVisible: boolean; compactVisible: boolean }

/**
 * What shows at once and what waits behind "Show details": a short preview shows each connection's changes; a long
 * one a line per connection; a finished plan only its outcome (the plan below is history). The budget: a
 * typical preview (one rotation) fits one screen, ≤ 900 px tall at Teams' chat width (the browser test measures it).
 */
function layoutOf(plan: Plan, finished: boolean): Layout {
  const { describe } = operationHooks(plan.operation);
  const short = plan.items.length <= SHORT_PLAN_MAX;
  // Only the items that can be shown are drawn: a 2,000-connection plan costs what its first 40 do.
  const detailed = withinBudget(plan.items.slice(0, PLAN_DETAIL_MAX).map(itemView(describe)), PLAN_DETAIL_MAX, short ? DETAIL_BUDGET : FOLDED_DETAIL_BUDGET, (v) => bytes(v) + ITEM_MARKUP_BYTES);
  const from = short ? detailed.length : 0;
  const compact = withinBudget(plan.items.slice(from, from + PLAN_COMPACT_MAX).map(compactLine(describe)), PLAN_COMPACT_MAX, COMPACT_BUDGET, (line) => bytes(line) + 4);
  return { detailed, compact, itemsVisible: short && !finished, compactVisible: !finished };
}

function detailsFields(layout: Layout, hasCalls: boolean): Pick<PlanView, 'hasDetails' | 'detailsTitle' | 'detailsTargets'> {
  const targets = [...(hasCalls ? ['calls'] : []), ...(layout.itemsVisible || layout.detailed.length === 0 ? [] : ['items']), ...(!layout.compactVisible && layout.compact.length ? ['compact'] : [])];
  return { hasDetails: targets.length > 0, detailsTitle: 'Show details', detailsTargets: targets };
}

/** `state`: where the plan stands (approval workflow); without it the card is a bare preview. */
export function buildPlanView(plan: Plan, state?: PlanCardState): PlanView {
  const finished = state?.finished === true;
  const layout = layoutOf(plan, finished);
  const shownLines = layout.itemsVisible ? layout.detailed.length + layout.compact.length : layout.compact.length;
  const more = plan.items.length - Math.max(shownLines, layout.itemsVisible ? 0 : layout.compact.length);
  const loud = loudLines(plan);
  const calls = callLines(plan);
  const subject = plan.items.length === 1 && plan.items[0] ? outsideText(plan.items[0].name, NAME_MAX) : plural(plan.items.length, 'connection');
  return {
    ...planStatusFields(plan.id, state),
    title: `${finished ? 'The plan' : 'Plan'}: ${operationOf(plan.operation).wording.verb} ${subject}`,
    command: `You asked: ${inlineCode(plan.command, 120)} · plan ${plan.id}`,
    hasLoud: loud.length > 0 && !finished, loud,
    hasGeneral: plan.warnings.length > 0 && !finished,
    general: plan.warnings.map((w) => ({ text: `⚠️ ${outsideProse(w.text, TEXT_MAX)}` })),
    empty: plan.items.length === 0,
    emptyText: plan.skipped.length ? 'Nothing to change: every connection was skipped (reasons below).' : 'Nothing to change: no connection matches.',
    items: layout.detailed, itemsVisible: layout.itemsVisible,
    hasCompact: layout.compact.length > 0, compact: layout.compact.join('\n\n'), compactVisible: layout.compactVisible,
    hasMore: more > 0 && !finished,
    moreText: `… and ${more} more connections (the full plan is kept under id ${plan.id}).`,
    hasCalls: calls.length > 0, callsTitle: finished ? 'REST calls (as planned, per connection done)' : 'REST calls this plan makes', calls,
    ...detailsFields(layout, calls.length > 0),
    hasSkipped: plan.skipped.length > 0,
    skippedTitle: `Skipped (${plan.skipped.length})`,
    skipped: skippedText(plan),
    totals: totalsOf(plan, finished ? state?.done : undefined),
    footer: plan.items.length ? `Plan ${plan.id}${state ? '' : ' — awaiting approval (approval workflow not yet enabled)'}` : `Plan ${plan.id} — nothing to approve`,
  };
}
