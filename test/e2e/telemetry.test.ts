/**
 * Telemetry of real plan runs (issue 23 §5), read from in-process exporters: the SDK started as bot/main.ts starts
 * it, the app composed as production composes it, over HTTP (propose → approve → execute) against the local cloud.
 * A rotation (a new client secret in flight) and a bulk conversion: spans per turn, run and item with the plan id,
 * operation and reference id; the plan, item, post and Azure DevOps counters; log lines carrying their trace id;
 * and no attribute anywhere carrying a connection's parameters or a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { readKey } from '../../src/domain/endpoint';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import { ask, tap, type Preview } from '../support/drive-bot';
import { captureTelemetry, type CapturedTelemetry } from '../support/telemetry-capture';
import { startTestApp, type StartedApp } from '../support/test-app';
import { endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';

const CONNECTIONS = [1, 2, 3];
/** `convert all` after `rotate sc-prod`: the rotation left sc-prod a manual connection, which convert leaves alone. */
const CONVERTED = [2, 3];
/** Words every connection has (scheme names, modes): not markers of any one connection. */
const VOCABULARY = new Set(['spnKey', 'Automatic', 'Manual', 'AzureCloud', 'Subscription', 'payments', 'ra-1', '[]', 'WorkloadIdentityFederation', 'ServicePrincipal']);

let h: Harness;
let app: StartedApp;
let connector: ConnectorStandIn;
let telemetry: CapturedTelemetry;
const markers = new Set<string>();
let rotated: Preview;
let converted: Preview;
/** 429s the emulator answered during the conversion. */
let refused = 0;

/** Every parameter and data value of every connection, as the emulator holds it now (the new secret included). */
function collectMarkers(): void {
  for (const n of CONNECTIONS) {
    const live = h.cloud.devops.state.live(endpointId(n));
    const values = [...Object.values(live?.authorization?.parameters ?? {}), ...Object.values(live?.data ?? {})];
    for (const value of values) if (typeof value === 'string' && value.length >= 6 && !VOCABULARY.has(value)) markers.add(value);
  }
}

beforeAll(async () => {
  h = await startHarness(CONNECTIONS.map((n) => ({ n, name: n === 1 ? 'sc-prod' : `sc-bulk-${n}` })));
  telemetry = captureTelemetry();
  connector = new ConnectorStandIn();
  await connector.start();
  app = await startTestApp(h.ports(), { policy: { ...LOCAL_DEMO_POLICY, twoApproversOver: 100 } }, HARNESS_TUNING);
  collectMarkers();
  rotated = await ask(app.url, connector, 'rotate sc-prod');
  expect((await tap(app.url, connector, rotated)).status).toBe(200);
  await app.approvals.idle();
  converted = await ask(app.url, connector, 'convert all');
  // A budget the execution overruns, with no X-RateLimit-* warning: it meets 429s and waits out their Retry-After.
  h.cloud.devops.faults.setRateLimit({ limit: 3, windowMs: 1_000, retryAfterSeconds: 0.3, headersFrom: 1_000 });
  expect((await tap(app.url, connector, converted)).status).toBe(200);
  await app.approvals.idle();
  refused = h.cloud.devops.faults.refusals();
  h.cloud.devops.faults.setRateLimit(null);
  collectMarkers();
  await telemetry.flush();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await telemetry?.stop();
  await connector?.close();
  await h?.close();
});

const attr = (span: ReadableSpan, key: string) => span.attributes[key];
const runOf = (planId: string) => telemetry.spans('scbot.plan.run').find((s) => attr(s, 'scbot.plan_id') === planId);

describe('telemetry of a real plan run', () => {
  it('a turn span per activity names the command, the plan and the operation, never the typed words', () => {
    const turns = telemetry.spans('scbot.turn');
    const proposed = turns.find((s) => attr(s, 'scbot.command') === 'rotate');
    expect(proposed?.attributes).toMatchObject({ 'scbot.activity_type': 'message', 'scbot.plan_id': rotated.planId, 'scbot.operation': 'rotate' });
    const approval = turns.find((s) => attr(s, 'scbot.activity_type') === 'invoke' && attr(s, 'scbot.plan_id') === converted.planId);
    expect(approval?.attributes).toMatchObject({ 'scbot.operation': 'convert' });
    for (const span of turns) expect(Object.values(span.attributes)).not.toContain('rotate sc-prod');
  });

  it('a plan run is a trace of its own, linked to the approving turn, with the run\'s outcome', () => {
    const run = runOf(converted.planId);
    expect(run?.attributes).toMatchObject({ 'scbot.operation': 'convert', 'scbot.items': CONVERTED.length, 'scbot.trigger': 'approval', 'scbot.outcome': 'done' });
    expect(run?.parentSpanContext).toBeUndefined();
    const approval = telemetry.spans('scbot.turn').find((s) => attr(s, 'scbot.activity_type') === 'invoke' && attr(s, 'scbot.plan_id') === converted.planId);
    expect(run?.links.map((l) => l.context.spanId)).toEqual([approval?.spanContext().spanId]);
  });

  it('an item span per connection, inside its run, with the endpoint id and the outcome', () => {
    const run = runOf(converted.planId)!;
    const items = telemetry.spans('scbot.plan.item').filter((s) => attr(s, 'scbot.plan_id') === converted.planId);
    expect(items.map((s) => attr(s, 'scbot.endpoint_id')).sort()).toEqual(CONVERTED.map(endpointId).sort());
    for (const item of items) {
      expect(item.spanContext().traceId).toBe(run.spanContext().traceId);
      expect(item.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
      expect(item.attributes).toMatchObject({ 'scbot.operation': 'convert', 'scbot.outcome': 'done' });
    }
  });

  it('counts plans proposed, approved and executed, items by outcome and the paced card updates', () => {
    for (const operation of ['rotate', 'convert']) {
      expect(telemetry.total('scbot.plans.proposed', { 'scbot.operation': operation })).toBe(1);
      expect(telemetry.total('scbot.plans.approved', { 'scbot.operation': operation })).toBe(1);
      expect(telemetry.total('scbot.plans.executed', { 'scbot.operation': operation, 'scbot.outcome': 'done' })).toBe(1);
    }
    expect(telemetry.total('scbot.plans.failed')).toBe(0);
    expect(telemetry.total('scbot.plan.items', { 'scbot.operation': 'convert', 'scbot.outcome': 'done' })).toBe(CONVERTED.length);
    expect(telemetry.total('scbot.plan.items', { 'scbot.operation': 'rotate', 'scbot.outcome': 'done' })).toBe(1);
    // Progress and outcome updates of both cards went through the paced notifier.
    expect(telemetry.total('scbot.posts.paced', { 'scbot.outcome': 'sent' })).toBeGreaterThanOrEqual(2);
  });

  it('counts every 429 Azure DevOps answered, by lane, and the waits for their Retry-After', () => {
    expect(refused).toBeGreaterThan(0);
    expect(telemetry.total('scbot.devops.throttled')).toBe(refused);
    expect(telemetry.total('scbot.devops.throttled', { 'scbot.lane': 'normal' })).toBeGreaterThan(0);
    expect(telemetry.total('scbot.devops.waits', { 'scbot.reason': 'retry-after' })).toBeGreaterThan(0);
    expect(telemetry.total('scbot.devops.waited', { 'scbot.reason': 'retry-after' })).toBeGreaterThan(0);
  });

  it('log lines written inside a span carry its trace and span ids', () => {
    const items = telemetry.spans('scbot.plan.item').filter((s) => attr(s, 'scbot.plan_id') === converted.planId);
    const settled = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'plan item settled' && l.planId === converted.planId);
    expect(settled).toHaveLength(CONVERTED.length);
    for (const line of settled) {
      const span = items.find((s) => attr(s, 'scbot.endpoint_id') === line.endpointId);
      expect({ trace: line.trace_id, span: line.span_id }).toEqual({ trace: span?.spanContext().traceId, span: span?.spanContext().spanId });
    }
  });

  it('no span or metric attribute, name or link carries a connection parameter or a secret', () => {
    const secret = readKey(h.cloud.devops.state.live(endpointId(1))?.authorization?.parameters ?? undefined, 'serviceprincipalkey') ?? '';
    // The markers: the seed secret, the rotated one, tenant, app and subscription ids, the federation subject…
    expect(markers.size).toBeGreaterThanOrEqual(8);
    expect(markers).toContain(secret);
    const recorded = JSON.stringify({
      spans: telemetry.spans().map((s) => ({ name: s.name, attributes: s.attributes, links: s.links, events: s.events, status: s.status, resource: s.resource.attributes })),
      metrics: telemetry.metricAttributes(),
    });
    for (const marker of markers) expect(recorded).not.toContain(marker);
  });
});
