/**
 * The plan preview's view model: what will change, per connection, before anyone approves it. Built from the
 * Plan alone (the card is never the source of truth) and kept under Teams' ~28 KB for 500 connections by
 * detailing the first ones and summarising the rest.
 */
import { diffEndpoints } from '../domain/diff';
import type { Plan, PlanItem, PlannedCall, PlanWarning, WarningCode } from '../domain/plan';
import { cardText, plural } from './format';
import { planStatusFields, type PlanCardState, type PlanStatusFields } from './plan-preview-status';
import { IDS_PER_LIST } from '../execution/batch-reads';

export const PLAN_DETAIL_MAX = 20;
export const PLAN_COMPACT_MAX = 40;
export const PLAN_SKIPPED_MAX = 15;
const CALL_LINES_MAX = 12;
/**
 * UTF-8 bytes the detailed items may take, and the compact lines: with the template's own markup per item
 * (~0.6 KB) this keeps the worst case (long Unicode names, every warning) under Teams' limit.
 */
const DETAIL_BUDGET = 19_000;
const COMPACT_BUDGET = 4_500;
/** Skip reasons come from the service and names may be long Unicode: the list is cut by size as well as count. */
const SKIPPED_BUDGET = 3_000;
const ITEM_MARKUP_BYTES = 500;
const NAME_MAX = 80;
// Long enough for an Entra issuer URL (75 characters) to show whole: the issuer move's preview must show it exactly.
const VALUE_MAX = 96;
// Room for a federated credential's name, Entra issuer and audience in one line (the issuer move's preview).
const TEXT_MAX = 280;

/** Shown loudly, at the top, in the attention colour: they destroy more than the connection itself. */
const LOUD: readonly WarningCode[] = ['DEEP_DELETE', 'DELETE_EVERYWHERE'];

const VERB: Record<Plan['operation'], string> = { rotate: 'Rotate the secret of', delete: 'Delete', convert: 'Convert', revert: 'Revert', 'migrate-issuer': 'Move to the Entra issuer:' };

export interface PlanItemView {
  heading: string;
  subtitle: string;
  changes: string;
  calls: string;
  hasWarnings: boolean;
  warnings: { text: string; color: string }[];
}

export interface PlanView extends PlanStatusFields {
  title: string;
  command: string;
  hasLoud: boolean;
  loud: { text: string }[];
  general: { text: string }[];
  empty: boolean;
  emptyText: string;
  items: PlanItemView[];
  hasCompact: boolean;
  compact: string;
  hasMore: boolean;
  moreText: string;
  hasCalls: boolean;
  calls: { text: string }[];
  hasSkipped: boolean;
  skippedTitle: string;
  skipped: string;
  totals: string;
  footer: string;
}

/** A value in code style; a secret's description (it starts with the mask) is never cut: it says where the secret comes from. */
const show = (value: string | null): string => {
  if (value === null) return '(none)';
  const text = value.startsWith('••••') ? value : cardText(value, VALUE_MAX);
  return `\`${text.replace(/`/g, "'")}\``;
};

function changesText(item: PlanItem): string {
  const changes = diffEndpoints(item.before, item.after, item.secret);
  if (item.after === null) return `• The connection is deleted${(item.projectIds?.length ?? 0) > 1 ? ` from ${item.projectIds?.length} projects` : ''}.`;
  if (changes.length === 0) return '• No field changes.';
  return changes.map((c) => `• ${c.path}: ${show(c.from)} → ${show(c.to)}`).join('\n\n');
}

/** A call with the connection's id and project made generic, so identical steps of a bulk plan group together. */
function callTemplate(call: PlannedCall, item: PlanItem): string {
  let target = call.target.split(item.endpointId).join('{id}').split(`${item.projectName}/_apis`).join('{project}/_apis');
  if (item.projectIds?.length) target = target.split(`projectIds=${item.projectIds.join(',')}`).join(item.projectIds.length > 1 ? 'projectIds={every project}' : 'projectIds={project}');
  return `${target} — ${call.condition ? `only ${call.condition}: ` : ''}${call.purpose}`;
}

function callsLine(item: PlanItem): string {
  const steps = item.calls.map((c) => (c.condition ? `(${c.method})` : c.method));
  return `Calls: ${steps.join(' → ')}`;
}

function warningView(w: PlanWarning): { text: string; color: string } {
  return { text: `⚠️ ${cardText(w.text, TEXT_MAX)}`, color: LOUD.includes(w.code) ? 'Attention' : 'Warning' };
}

function itemView(item: PlanItem): PlanItemView {
  return {
    heading: cardText(item.name, NAME_MAX),
    subtitle: `${cardText(item.projectName, NAME_MAX)} · ${cardText(item.endpointId, NAME_MAX)}`,
    changes: changesText(item),
    calls: callsLine(item),
    hasWarnings: item.warnings.length > 0,
    warnings: item.warnings.map(warningView),
  };
}

function compactLine(item: PlanItem): string {
  const codes = [...new Set(item.warnings.map((w) => w.code))];
  const count = item.after === null ? 'deleted' : plural(diffEndpoints(item.before, item.after, item.secret).length, 'change');
  return `${cardText(item.name, 50)} · ${cardText(item.projectName, 30)} · ${count}${codes.length ? ` · ⚠️ ${codes.join(', ')}` : ''}`;
}

/** Loud warnings once each at the top, with how many connections they concern. */
function loudLines(plan: Plan): { text: string }[] {
  const byCode = new Map<WarningCode, { text: string; count: number }>();
  for (const w of plan.items.flatMap((i) => i.warnings).filter((x) => LOUD.includes(x.code))) {
    const seen = byCode.get(w.code);
    byCode.set(w.code, { text: seen?.text ?? w.text, count: (seen?.count ?? 0) + 1 });
  }
  return [...byCode.values()].map(({ text, count }) => ({ text: `🛑 ${cardText(text, TEXT_MAX)}${count > 1 ? ` (${count} connections)` : ''}` }));
}

/** Every distinct REST call of the plan with how many times it is made. */
function callLines(plan: Plan): { text: string }[] {
  const counts = new Map<string, number>();
  for (const item of plan.items) for (const call of item.calls) {
    const key = callTemplate(call, item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const reads = rereadCount(plan);
  const reread = `devops GET {project}/_apis/serviceendpoint/endpoints?endpointIds=… — Re-read the connections right before writing (up to ${IDS_PER_LIST} per call); one that changed since this preview is skipped.`;
  const lines = [...(reads ? [[reread, reads] as const] : []), ...counts.entries()].map(([text, n]) => ({ text: `${n > 1 ? `${n} × ` : ''}${cardText(text, TEXT_MAX)}` }));
  if (lines.length <= CALL_LINES_MAX) return lines;
  return [...lines.slice(0, CALL_LINES_MAX), { text: `… and ${lines.length - CALL_LINES_MAX} more distinct calls.` }];
}

/** Execution re-reads a plan's connections in batches before writing: one list call per project per IDS_PER_LIST. */
function rereadCount(plan: Plan): number {
  const perProject = new Map<string, number>();
  for (const item of plan.items) perProject.set(item.projectId, (perProject.get(item.projectId) ?? 0) + 1);
  return [...perProject.values()].reduce((sum, n) => sum + Math.ceil(n / IDS_PER_LIST), 0);
}

function totalsOf(plan: Plan): string {
  const calls = plan.items.flatMap((i) => i.calls);
  const conditional = calls.filter((c) => c.condition !== undefined).length;
  const always = calls.length - conditional + rereadCount(plan);
  const parts = [`${plural(plan.items.length, 'connection')} to change`, `${plan.skipped.length} skipped`, `${plural(always, 'REST call')}`];
  if (conditional) parts.push(`${conditional} more only if needed`);
  return parts.join(' · ');
}

function skippedText(plan: Plan): string {
  const all = plan.skipped.map((s) => `• ${cardText(s.name, NAME_MAX)} (${cardText(s.projectName, 40)}): ${cardText(s.reason, 160)}`);
  const lines = withinBudget(all, PLAN_SKIPPED_MAX, SKIPPED_BUDGET, (line) => bytes(line) + 4);
  const more = plan.skipped.length - lines.length;
  if (more > 0) lines.push(`… and ${more} more skipped.`);
  return lines.join('\n\n');
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

/** `state`: where the plan stands (approval workflow); without it the card is a bare preview. */
export function buildPlanView(plan: Plan, state?: PlanCardState): PlanView {
  const detailed = withinBudget(plan.items.map(itemView), PLAN_DETAIL_MAX, DETAIL_BUDGET, (v) => bytes(v) + ITEM_MARKUP_BYTES);
  const compact = withinBudget(plan.items.slice(detailed.length).map(compactLine), PLAN_COMPACT_MAX, COMPACT_BUDGET, (line) => bytes(line) + 4);
  const more = plan.items.length - detailed.length - compact.length;
  const loud = loudLines(plan);
  const calls = callLines(plan);
  const subject = plan.items.length === 1 && plan.items[0] ? cardText(plan.items[0].name, NAME_MAX) : plural(plan.items.length, 'connection');
  return {
    ...planStatusFields(plan.id, state),
    title: `Plan: ${VERB[plan.operation]} ${subject}`,
    command: `You asked: \`${cardText(plan.command, 120).replace(/`/g, "'")}\` · plan ${plan.id}`,
    hasLoud: loud.length > 0,
    loud,
    general: plan.warnings.map((w) => ({ text: `⚠️ ${cardText(w.text, TEXT_MAX)}` })),
    empty: plan.items.length === 0,
    emptyText: plan.skipped.length ? 'Nothing to change: every connection was skipped (reasons below).' : 'Nothing to change: no connection matches.',
    items: detailed,
    hasCompact: compact.length > 0,
    compact: compact.join('\n\n'),
    hasMore: more > 0,
    moreText: `… and ${more} more connections (the full plan is kept under id ${plan.id}).`,
    hasCalls: calls.length > 0,
    calls,
    hasSkipped: plan.skipped.length > 0,
    skippedTitle: `Skipped (${plan.skipped.length})`,
    skipped: skippedText(plan),
    totals: totalsOf(plan),
    footer: plan.items.length ? `Plan ${plan.id}${state ? '' : ' — awaiting approval (approval workflow not yet enabled)'}` : `Plan ${plan.id} — nothing to approve`,
  };
}

/** One line: the notification preview and the fallback for clients without cards. */
export function planSummaryText(plan: Plan): string {
  const skipped = plan.skipped.length ? ` (${plan.skipped.length} skipped)` : '';
  const subject = plan.items.length === 1 && plan.items[0] ? plan.items[0].name : plural(plan.items.length, 'connection');
  const state = plan.items.length ? 'awaiting approval' : 'nothing to change';
  return `Plan ${plan.id}: ${plan.operation} ${subject}${skipped}, ${state}.`;
}
