import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardJson } from '../../src/commands';
import { createCommandRegistry } from '../../src/commands';
import { buildAuditView } from '../../src/cards/audit-view';
import { buildDetailView } from '../../src/cards/connection-detail-view';
import { buildHelpView } from '../../src/cards/help-view';
import type { ConnectionRow, ListFilterKind } from '../../src/cards/connection-list-view';
import { buildListView } from '../../src/cards/connection-list-view';
import { buildMessageView } from '../../src/cards/message-view';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import type { CardTemplateName } from '../../src/cards/render';
import { CARD_TEMPLATES, renderCard } from '../../src/cards/render';
import type { AuditEvent, AuditKind } from '../../src/domain/audit';
import { AUDIT_KINDS } from '../../src/domain/audit';
import type { ConnectionState, ExecutionRecord, ServiceEndpoint } from '../../src/domain/endpoint';
import type { Plan } from '../../src/domain/plan';
import { parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { bulkConvert, bulkDelete } from './plan-card-fixture';
import { NOW, SC_BROKEN, SC_PROD } from './commands-fixture';
import { buildAlertView } from '../../src/cards/alert-view';
import { buildAlertListView } from '../../src/cards/alert-list-view';
import { buildAlertStatusView } from '../../src/cards/alert-status-view';
import type { Finding } from '../../src/domain/findings';
import { findingOf, KINDS, statusInput } from './alert-fixture';
import { buildAccessView } from '../../src/cards/connection-access-view';
import { buildHealthView } from '../../src/cards/health-view';
import { healthInput } from './health-fixture';

/**
 * Property-based fuzzing of the card templates with what the service (or a user) may put in a view model:
 * template syntax, markdown, RTL marks, emoji, lone surrogates, very long text. A card must expand fully,
 * parse with the official adaptivecards library, fit a Teams message, and show data as data, never evaluate it.
 */
const TRICKY = ['${1+1}', '${title}', '${$root.title}', '$root', '$data', '${', '}', '{{name}}', '{{DATE(2026-01-01T00:00:00Z)}}',
  '**bold**', '_x_', '[link](javascript:alert(1))', '<script>', '\u202eevil', 'مرحبا بالعالم', '👩‍👩‍👧🚀', '\ud800', '\udfff',
  '\u0000', '\n\n', '"', '\\', '', ' ', 'null', 'undefined', '__proto__', '%s'];

const short = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...TRICKY), { maxLength: 5 }).map((parts) => parts.join(' ')) },
);
/** Long text the service may send (an Entra error message with a correlation dump runs to kilobytes). */
const long = fc.tuple(short, fc.integer({ min: 300, max: 6_000 })).map(([s, size]) => (s || 'x').repeat(Math.ceil(size / Math.max(1, s.length))).slice(0, size));
const text = fc.oneof({ weight: 4, arbitrary: short }, { weight: 1, arbitrary: long });
/** A few strings reused across hundreds of rows keeps generation cheap while every field still varies. */
const pool = fc.array(text, { minLength: 1, maxLength: 6 });
const pick = (strings: readonly string[], i: number): string => strings[i % strings.length] as string;

/** Every string in a value with "$" swapped for a look-alike: the same structure with nothing template-like in it. */
function defang<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\$/g, '\uff04') : v))) as T;
}

/**
 * (a) no template expression is left unexpanded: the defanged view's card has no "${";
 * (d) data is never evaluated: the card of the real view is the defanged card, character for character,
 *     once "$" is swapped on both sides (an evaluated "${1+1}" would show as "2");
 * (b) the official parser reports nothing; (c) the card fits Teams' message limit.
 */
function expectSafeCard(name: CardTemplateName, view: object): void {
  const card = renderCard(name, view);
  const plain = JSON.stringify(renderCard(name, defang(view)));
  expect(plain).not.toContain('${');
  expect(JSON.stringify(card).replace(/\$/g, '\uff04')).toBe(plain.replace(/\$/g, '\uff04'));
  expect(parseErrors(card as CardJson)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(TEAMS_LIMIT_BYTES);
}

const STATES: ConnectionState[] = ['Ready', 'Failed', 'InProgress', 'NotReady'];

const listInput = fc.record({ strings: pool, count: fc.integer({ min: 0, max: 500 }), page: fc.integer({ min: -3, max: 20 }),
  filter: fc.constantFrom<ListFilterKind>('usable', 'failed', 'all'), hiddenFailed: fc.nat(600) });

function rowsOf(strings: readonly string[], count: number): ConnectionRow[] {
  return Array.from({ length: count }, (_, i) => ({
    project: pick(strings, i % 3), name: pick(strings, i), type: pick(strings, i + 1), scheme: pick(strings, i + 2),
    mode: pick(strings, i + 3), state: STATES[i % STATES.length] as ConnectionState, sharedWith: (i % 4) + 1,
  }));
}

function endpointOf(strings: readonly string[], failed: boolean): ServiceEndpoint {
  const base = structuredClone(failed ? SC_BROKEN : SC_PROD);
  const s = (i: number) => pick(strings, i);
  return {
    ...base, name: s(0), type: s(1), url: s(2), isOutdated: true, isDisabled: failed,
    authorization: { scheme: s(3), parameters: { tenantid: s(4), serviceprincipalid: s(5), scope: s(6), workloadIdentityFederationIssuer: s(7), workloadIdentityFederationSubject: s(8) } },
    data: { creationMode: s(9), subscriptionName: s(10), revertSchemeDeadline: s(11) },
    operationStatus: { state: failed ? 'Failed' : 'Ready', statusMessage: s(12) },
    serviceEndpointProjectReferences: [0, 1, 2].map((i) => ({ projectReference: { id: s(13 + i), name: s(14 + i) }, name: s(15 + i) })),
  };
}

const executionsOf = (strings: readonly string[]): ExecutionRecord[] =>
  strings.map((s, i) => ({ endpointId: 'e', id: i, result: s, definitionName: pick(strings, i + 1), finishTime: pick(strings, i + 2) }));

/** A bulk plan whose names, project names, warnings and skip reasons are all fuzzed. */
function planOf(strings: readonly string[], count: number, kind: 'convert' | 'delete'): Plan {
  const plan = kind === 'convert' ? bulkConvert(count, (i) => pick(strings, i)) : bulkDelete(count, (i) => pick(strings, i));
  return {
    ...plan,
    command: pick(strings, 1),
    items: plan.items.map((item, i) => ({ ...item, projectName: pick(strings, i + 2), warnings: item.warnings.map((w, j) => ({ ...w, text: pick(strings, i + j) })) })),
    skipped: plan.skipped.map((s, i) => ({ ...s, projectName: pick(strings, i + 3), reason: pick(strings, i + 4) })),
  };
}

/** Audit events as the store keeps them, with names, commands and ids from anywhere. */
function eventsOf(strings: readonly string[], count: number): AuditEvent[] {
  const s = (i: number) => pick(strings, i);
  return Array.from({ length: count }, (_, i) => ({
    id: s(i), kind: AUDIT_KINDS[i % AUDIT_KINDS.length] as AuditKind, at: i % 2 ? NOW.toISOString() : s(i + 1),
    actor: { id: s(i + 2), name: s(i + 3), ...(i % 3 ? { aadObjectId: s(i + 4) } : {}) }, conversation: { id: s(i + 5), type: s(i + 6) },
    planId: s(i + 7), planFingerprint: s(i + 8), operation: 'rotate', command: s(i + 9),
    connections: Array.from({ length: i % 5 }, (_, j) => ({ endpointId: s(j), name: s(j + 1), project: s(j + 2), fingerprint: s(j + 3) })),
    ...(i % 4 === 0 ? { outcome: { status: 'failed', reason: s(i + 10) } } : { reason: s(i + 11) }), correlationId: s(i + 12),
  }));
}

describe('fuzz: card payloads', () => {
  it('covers every template in cards/', () => {
    expect([...CARD_TEMPLATES].sort()).toEqual(['alert', 'alert-list', 'alert-status', 'audit', 'connection-access', 'connection-detail', 'connection-list', 'form', 'health', 'help', 'message', 'plan-preview']);
  });

  it('connection-list: up to 500 rows of arbitrary names, any page', () => {
    fc.assert(fc.property(listInput, ({ strings, count, page, filter, hiddenFailed }) => {
      const view = buildListView({ rows: rowsOf(strings, count), filter, hiddenFailed, projectCount: 3, page, command: `list in ${pick(strings, 0)}` });
      expectSafeCard('connection-list', view);
    }), { numRuns: 150 });
  });

  it('connection-detail: arbitrary names, status messages, parameters and run history', () => {
    fc.assert(fc.property(pool, fc.boolean(), (strings, failed) => {
      const view = buildDetailView({ endpoint: endpointOf(strings, failed), project: pick(strings, 3), executions: executionsOf(strings), now: NOW });
      expectSafeCard('connection-detail', view);
    }), { numRuns: 200 });
  });

  it('connection-access: arbitrary pipeline, identity and project names, up to 500 of each', () => {
    fc.assert(fc.property(pool, fc.integer({ min: 0, max: 500 }), fc.boolean(), (strings, count, open) => {
      const ids = Array.from({ length: count }, (_, i) => i);
      const view = buildAccessView({
        name: pick(strings, 0), project: pick(strings, 1), pin: { connectionId: '3bdbd186-d8aa-5806-bc08-7205c5729861', projectId: '7d580254-36c2-5bda-9608-ea9bb037b823' },
        permissions: { allPipelines: open, allPipelinesGrant: { by: pick(strings, 2), on: pick(strings, 3) }, pipelines: ids.map((id) => ({ id, by: pick(strings, id), on: '2026-11-01T00:00:00.000Z' })) },
        pipelines: ids.filter((id) => id % 2).map((id) => ({ id, name: pick(strings, id + 1) })),
        used: ids.map((id) => ({ id: id * 3, name: pick(strings, id + 2), lastUsed: pick(strings, id + 3), runs: id })),
        roles: open ? undefined : ids.map((id) => ({ identity: pick(strings, id), uniqueName: pick(strings, id + 1), role: pick(strings, id + 2), access: 'inherited' })),
      });
      expectSafeCard('connection-access', view);
    }), { numRuns: 60 });
  });

  it('message: arbitrary title, lines and buttons', () => {
    fc.assert(fc.property(pool, fc.constantFrom('info', 'warning', 'error') as fc.Arbitrary<'info' | 'warning' | 'error'>, (strings, tone) => {
      const view = buildMessageView(pick(strings, 0), strings, strings.map((s, i) => ({ title: s, command: pick(strings, i + 1) })), tone);
      expectSafeCard('message', view);
    }), { numRuns: 200 });
  });

  it('help: the registry with an arbitrary greeting', () => {
    const commands = createCommandRegistry().commands();
    fc.assert(fc.property(text, (intro) => expectSafeCard('help', buildHelpView(commands, intro))), { numRuns: 100 });
  });

  it('audit: up to 500 events with arbitrary names, commands, ids and reasons', () => {
    fc.assert(fc.property(pool, fc.integer({ min: 0, max: 500 }), fc.option(short, { nil: undefined }), (strings, count, subject) => {
      expectSafeCard('audit', buildAuditView({ events: eventsOf(strings, count), last: count, ...(subject === undefined ? {} : { subject }) }));
    }), { numRuns: 60 });
  });

  it('plan-preview: bulk plans of up to 500 connections with arbitrary names and reasons', () => {
    fc.assert(fc.property(pool, fc.integer({ min: 0, max: 500 }), fc.constantFrom('convert', 'delete') as fc.Arbitrary<'convert' | 'delete'>, (strings, count, kind) => {
      expectSafeCard('plan-preview', buildPlanView(planOf(strings, count, kind)));
    }), { numRuns: 40 });
  });

  it('alert, alert-list, alert-status: findings with arbitrary names, projects and details', () => {
    const findingsOf = (strings: readonly string[], count: number): Finding[] => Array.from({ length: count }, (_, i) => findingOf(KINDS[i % KINDS.length]!, i, {
      name: pick(strings, i), project: pick(strings, i + 1), detail: pick(strings, i + 2), ...(i % 3 ? { dueAt: pick(strings, i + 3) } : { since: pick(strings, i + 4) }),
    }));
    fc.assert(fc.property(pool, fc.integer({ min: 1, max: 300 }), fc.constantFrom('new', 'reminder', 'resolved') as fc.Arbitrary<'new' | 'reminder' | 'resolved'>, (strings, count, kind) => {
      const findings = findingsOf(strings, count);
      expectSafeCard('alert', buildAlertView(findings[0]!));
      expectSafeCard('alert-list', buildAlertListView(kind, findings));
      expectSafeCard('alert-status', buildAlertStatusView(statusInput(findings, { subscribed: { by: pick(strings, 0), at: pick(strings, 1) } })));
    }), { numRuns: 60 });
  });

  it('health: findings in arbitrary projects, any census and trend', () => {
    const week = fc.integer({ min: 0, max: 10_000 });
    fc.assert(fc.property(pool, fc.integer({ min: 0, max: 500 }), fc.array(week, { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 90 }), (strings, count, weeks, days) => {
      const findings = Array.from({ length: count }, (_, i) => findingOf(KINDS[i % KINDS.length]!, i, { name: pick(strings, i), project: pick(strings, i + 1) }));
      const input = healthInput({ findings, census: { federated: weeks[0] ?? 0, secret: weeks[1] ?? 0, other: weeks[2] ?? 0, secretsByWeek: weeks }, days });
      expectSafeCard('health', buildHealthView(input));
    }), { numRuns: 60 });
  });
});
