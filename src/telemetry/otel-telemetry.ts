/**
 * The Telemetry port over @opentelemetry/api. Without an SDK (telemetry off), the API's own no-op tracer and meter
 * answer every call: nothing is recorded, and the cost is a few property reads per span or counter. With the SDK
 * started (sdk.ts), the same calls reach its providers, or the ones a test passes.
 */
import { metrics, SpanStatusCode, trace, isSpanContextValid, type Attributes, type Counter, type Meter, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { errorCodeOf } from '../domain/errors';
import type { CounterName, SpanName, SpanOptions, Telemetry, TelemetryAttributes } from './telemetry.port';

const SCOPE = 'scbot';

/** The one table of attribute names: a key missing here cannot be recorded. */
const ATTRIBUTE_NAMES: Readonly<Record<keyof TelemetryAttributes, string>> = Object.freeze({
  referenceId: 'scbot.reference_id',
  planId: 'scbot.plan_id',
  operation: 'scbot.operation',
  endpointId: 'scbot.endpoint_id',
  command: 'scbot.command',
  activityType: 'scbot.activity_type',
  outcome: 'scbot.outcome',
  code: 'scbot.error_code',
  lane: 'scbot.lane',
  reason: 'scbot.reason',
  status: 'http.response.status_code',
  kind: 'scbot.kind',
  trigger: 'scbot.trigger',
  items: 'scbot.items',
});

/** The one table of counters: the metric name operators query, its unit and what it counts. */
export const COUNTERS: Readonly<Record<CounterName, { name: string; unit: string; description: string }>> = Object.freeze({
  'plans.proposed': { name: 'scbot.plans.proposed', unit: '{plan}', description: 'Plans proposed (a preview card with Approve)' },
  'plans.approved': { name: 'scbot.plans.approved', unit: '{plan}', description: 'Plans that got their last approval' },
  'plans.executed': { name: 'scbot.plans.executed', unit: '{plan}', description: 'Plan runs that settled (outcome: done, partially_failed, failed)' },
  'plans.failed': { name: 'scbot.plans.failed', unit: '{plan}', description: 'Plan runs that settled with at least one failed item' },
  'plan.items': { name: 'scbot.plan.items', unit: '{item}', description: 'Plan items settled by a run (outcome: done, skipped, failed)' },
  'devops.throttled': { name: 'scbot.devops.throttled', unit: '{response}', description: 'Azure DevOps answers 429 Too Many Requests' },
  'devops.waits': { name: 'scbot.devops.waits', unit: '{wait}', description: 'Azure DevOps calls held back (reason: budget, retry-after, backoff)' },
  'devops.waited.ms': { name: 'scbot.devops.waited', unit: 'ms', description: 'Time Azure DevOps calls were held back' },
  'scan.calls': { name: 'scbot.scan.calls', unit: '{call}', description: 'Calls made by alert scans (kind: projects, list, history, graph, open-access)' },
  'posts.paced': { name: 'scbot.posts.paced', unit: '{post}', description: 'Background Teams posts and card updates (outcome: sent, failed)' },
  'posts.retried': { name: 'scbot.posts.retried', unit: '{post}', description: 'Teams posts tried again (status: 429, 412, 502, 503, 504)' },
  'posts.waited.ms': { name: 'scbot.posts.waited', unit: 'ms', description: 'Time Teams posts waited for a free slot under Teams\' rate limits' },
});

export function toOtelAttributes(attributes: TelemetryAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes) as Array<[keyof TelemetryAttributes, string | number | undefined]>) {
    const name = ATTRIBUTE_NAMES[key];
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

export interface OtelTelemetryOptions {
  /** Default: the global provider (the SDK's once sdk.ts registered it; the API's no-op before). */
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
}

export class OtelTelemetry implements Telemetry {
  private meter: { provider: MeterProvider; meter: Meter; counters: Map<CounterName, Counter> } | undefined;

  constructor(private readonly o: OtelTelemetryOptions = {}) {}

  async span<T>(name: SpanName, attributes: TelemetryAttributes, work: () => Promise<T>, options: SpanOptions = {}): Promise<T> {
    const tracer = (this.o.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
    const parent = options.root ? trace.getActiveSpan()?.spanContext() : undefined;
    const links = parent && isSpanContextValid(parent) ? [{ context: parent }] : [];
    return tracer.startActiveSpan(name, { attributes: toOtelAttributes(attributes), root: options.root === true, links }, async (span) => {
      try {
        return await work();
      } catch (error) {
        // The code only: an error's message may quote a service's answer.
        span.setAttribute(ATTRIBUTE_NAMES.code, errorCodeOf(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  annotate(attributes: TelemetryAttributes): void {
    annotateActiveSpan(attributes);
  }

  count(counter: CounterName, attributes: TelemetryAttributes = {}, value = 1): void {
    this.counter(counter).add(value, toOtelAttributes(attributes));
  }

  /** The global meter provider has no proxy: instruments are made from whichever provider is current. */
  private counter(name: CounterName): Counter {
    const provider = this.o.meterProvider ?? metrics.getMeterProvider();
    if (this.meter?.provider !== provider) this.meter = { provider, meter: provider.getMeter(SCOPE), counters: new Map() };
    let counter = this.meter.counters.get(name);
    if (!counter) {
      const { name: metricName, unit, description } = COUNTERS[name];
      counter = this.meter.meter.createCounter(metricName, { unit, description });
      this.meter.counters.set(name, counter);
    }
    return counter;
  }
}

/** Adds attributes to the span the caller runs in, wherever it was started (a reference id handed out, a plan id). */
export function annotateActiveSpan(attributes: TelemetryAttributes): void {
  trace.getActiveSpan()?.setAttributes(toOtelAttributes(attributes));
}

/** The trace and span a log line was written in, for pino's mixin: logs and traces join on these. */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
