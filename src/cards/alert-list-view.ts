/**
 * The list cards (cards/alert-list.json): a digest of new findings, the still-open reminder and the resolved ones;
 * and how one delivery becomes chat messages (one card per new finding up to the digest limit).
 */
import type { AlertBatch } from '../domain/alert-delivery';
import type { Finding } from '../domain/findings';
import type { CardMessage } from './card';
import { alertRows, buildAlertView, KIND_TITLE, NAME_MAX, ordered, SEVERITY_ICON, type AlertRow } from './alert-view';
import { commandAction, type CardAction } from './command-action';
import { plural, TONE_ICON } from './format';
import { visibleText } from './outside-text';

export interface AlertListView {
  icon: string;
  title: string;
  summary: string;
  rows: AlertRow[];
  hasMore: boolean;
  moreText: string;
  actions: CardAction[];
}

const STATUS_ACTION: CardAction = commandAction({ title: 'alerts status', command: 'alerts status' });

export function buildAlertListView(kind: AlertBatch['kind'], findings: readonly Finding[]): AlertListView {
  const resolved = kind === 'resolved';
  const { rows, more } = alertRows(findings, resolved);
  const worst = ordered(findings)[0];
  const title = kind === 'new' ? `${plural(findings.length, 'new alert')}` : kind === 'reminder' ? `Still open: ${plural(findings.length, 'alert')}` : `${plural(findings.length, 'alert')} resolved`;
  // A resolved finding is gone from the scan: fixed, or the connection itself is gone. Either way, nothing to do.
  const summary = resolved ? 'My last scan no longer finds these: fixed, or the connection is gone. Nothing to do.' : 'Tap a row to start its fix: you get the usual preview, and nothing changes until someone approves it.';
  return {
    icon: resolved ? TONE_ICON.good : worst ? SEVERITY_ICON[worst.severity] : TONE_ICON.info,
    title, summary, rows,
    hasMore: more > 0,
    moreText: `…and ${more} more. Say \`alerts status\` for the counts, or \`list failed\` for the failed connections.`,
    actions: resolved ? [STATUS_ACTION] : [STATUS_ACTION, commandAction({ title: 'list failed', command: 'list failed' })],
  };
}

/** One chat message of a delivery, with the batches (or part of one) it tells, so each is recorded only once sent. */
export interface AlertMessage {
  reply: CardMessage;
  batches: AlertBatch[];
}

function single(f: Finding, label: 'New alert' | 'Changed'): CardMessage {
  const view = buildAlertView(f, label);
  // The summary is plain text (a notification): the same words, not the card's markdown escapes.
  const text = `${KIND_TITLE[f.kind]}: ${visibleText(f.name, NAME_MAX)} (${visibleText(f.project, NAME_MAX)}). ${visibleText(f.detail, 200)}`;
  return { text, view: { template: 'alert', model: view } };
}

function list(kind: AlertBatch['kind'], findings: readonly Finding[]): CardMessage {
  const view = buildAlertListView(kind, findings);
  const names = ordered(findings).slice(0, 3).map((f) => visibleText(f.name, 40)).join(', ');
  return { text: `${view.title}: ${names}${findings.length > 3 ? ', …' : ''}`, view: { template: 'alert-list', model: view } };
}

/** New findings one card each (a digest above `digestOver`), then a reminder digest, then the resolved ones. */
export function alertMessages(batches: readonly AlertBatch[], rules: { digestOver: number }): AlertMessage[] {
  const messages: AlertMessage[] = [];
  for (const batch of batches) {
    if (batch.kind === 'new' && batch.findings.length <= rules.digestOver) {
      const changed = new Set(batch.changed);
      for (const f of batch.findings) {
        messages.push({ reply: single(f, changed.has(f.key) ? 'Changed' : 'New alert'), batches: [{ kind: 'new', findings: [f], changed: changed.has(f.key) ? [f.key] : [] }] });
      }
    } else {
      messages.push({ reply: list(batch.kind, batch.findings), batches: [batch] });
    }
  }
  return messages;
}
