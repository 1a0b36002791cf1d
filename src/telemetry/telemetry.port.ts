/**
 * What operators see of the bot in their monitoring: spans for turns, plan runs and plan items, and counters for
 * plans, items, Azure DevOps throttling, scan cost and paced Teams posts. The attributes are a closed set of
 * identifiers and outcomes (no free-form map), so a secret or a connection's parameters have no field to land in.
 */

export type SpanName = 'scbot.turn' | 'scbot.plan.run' | 'scbot.plan.item';

/** Every counter the bot keeps; otel-telemetry.ts gives each its metric name, unit and description. */
export type CounterName =
  | 'plans.proposed' | 'plans.approved' | 'plans.executed' | 'plans.failed' | 'plan.items'
  | 'devops.throttled' | 'devops.waits' | 'devops.waited.ms'
  | 'scan.calls'
  | 'posts.paced' | 'posts.retried' | 'posts.waited.ms';

/** Identifiers and outcomes only: never a connection's name, parameters, a message text or a secret. */
export interface TelemetryAttributes {
  /** The short id a user was shown (R-XXXXXXXX). */
  referenceId?: string;
  planId?: string;
  /** rotate, convert, delete, … (Operation). */
  operation?: string;
  /** A service connection's id (a GUID). */
  endpointId?: string;
  /** The registry id of the command a turn ran (never the typed text). */
  command?: string;
  activityType?: string;
  /** done / skipped / failed for items; the plan's final state for runs; sent / failed for posts. */
  outcome?: string;
  /** A stable error code (DEVOPS.THROTTLED …). */
  code?: string;
  /** interactive / normal / background (src/devops/call-gate.ts). */
  lane?: string;
  /** Why a call waited: budget / retry-after / backoff. */
  reason?: string;
  /** An HTTP status (a Teams post retried after a 429, 502, …). */
  status?: number;
  /** What a scan call read: projects, list, history, graph, open-access. */
  kind?: string;
  /** What started a plan run: approval, start-up or sweep. */
  trigger?: string;
  /** How many items a plan has. */
  items?: number;
}

export interface SpanOptions {
  /**
   * A new trace, linked to the span the caller runs in: background work (a plan run) outlives the turn that
   * started it, and a run resumed at start-up or by a sweep has no turn at all.
   */
  root?: boolean;
}

/**
 * The telemetry port (implemented with @opentelemetry/api in otel-telemetry.ts). Off (no SDK started), every
 * call is a no-op of the API's own: no span is recorded and no counter kept.
 */
export interface Telemetry {
  /** Runs `work` inside a span; a thrown error marks the span failed with its code (never its message). */
  span<T>(name: SpanName, attributes: TelemetryAttributes, work: () => Promise<T>, options?: SpanOptions): Promise<T>;
  /** Adds attributes to the span the caller runs in (none: nothing happens). */
  annotate(attributes: TelemetryAttributes): void;
  count(counter: CounterName, attributes?: TelemetryAttributes, value?: number): void;
}

/** For components built without telemetry (unit tests, tools): spans run their work, counters count nothing. */
export const NO_TELEMETRY: Telemetry = Object.freeze({
  span: <T>(_name: SpanName, _attributes: TelemetryAttributes, work: () => Promise<T>) => work(),
  annotate: () => undefined,
  count: () => undefined,
});
