/**
 * The OpenTelemetry SDK as bot/main.ts starts it (src/telemetry/sdk.ts), with in-memory exporters instead of OTLP
 * or Azure Monitor: a test reads every span ended and every counter's cumulative value. Global, like production:
 * stop() unregisters it, so the next test file in the worker starts from the API's no-ops again.
 */
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startTelemetrySdk } from '../../src/telemetry/sdk';

export interface CapturedTelemetry {
  spans(name?: string): ReadableSpan[];
  /** The data points of one counter (by its metric name), as of the last flush. */
  points(metric: string): Array<{ attributes: Attributes; value: number }>;
  /** Every metric name and data point attribute exported so far. */
  metricAttributes(): Attributes[];
  /** Sum of a counter's points whose attributes include `where`. */
  total(metric: string, where?: Attributes): number;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function captureTelemetry(): CapturedTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // An hour between exports: the test flushes when it wants to read.
  const sdk = startTelemetrySdk({ spans: [spanExporter], metrics: [metricExporter], metricIntervalMs: 3_600_000, spanProcessing: 'simple' });
  const latest = () => metricExporter.getMetrics().at(-1)?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
  const points = (metric: string) => (latest().find((m) => m.descriptor.name === metric)?.dataPoints ?? [])
    .map((p) => ({ attributes: p.attributes, value: typeof p.value === 'number' ? p.value : Number.NaN }));
  return {
    spans: (name) => spanExporter.getFinishedSpans().filter((s) => name === undefined || s.name === name),
    points,
    metricAttributes: () => latest().flatMap((m) => m.dataPoints.map((p) => p.attributes)),
    total: (metric, where = {}) => points(metric)
      .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
      .reduce((sum, p) => sum + p.value, 0),
    flush: () => sdk.flush(),
    stop: () => sdk.shutdown(),
  };
}
