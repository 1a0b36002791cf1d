/**
 * The OpenTelemetry SDK, started once by the composition root when telemetry is on (start-telemetry.ts) and never
 * loaded otherwise. It registers the global tracer and meter providers the Telemetry port reaches through
 * @opentelemetry/api, and the AsyncLocalStorage context that carries the active span across awaits (the spans nest,
 * and log lines name their trace). Tests start it with in-memory exporters, exactly as production does with real ones.
 */
import { context, diag, metrics, propagation, trace, DiagLogLevel } from '@opentelemetry/api';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';

export interface TelemetryExporters {
  spans: SpanExporter[];
  metrics: PushMetricExporter[];
  metricIntervalMs: number;
  /** batch (default): spans leave in the background, in batches (OTEL_BSP_* tune it); simple: each as it ends (tests). */
  spanProcessing?: 'batch' | 'simple';
}

export interface RunningTelemetry {
  /** Exports what is pending now (spans ended, counters so far). */
  flush(): Promise<void>;
  /** Flushes, stops the exporters and unregisters the providers; bounded by the exporters' own timeouts. */
  shutdown(): Promise<void>;
}

/** Where the SDK reports its own trouble (an unreachable collector): a message, never the arguments (headers). */
export interface TelemetryProblems {
  warn(message: string): void;
}

export function startTelemetrySdk(exporters: TelemetryExporters, problems?: TelemetryProblems): RunningTelemetry {
  if (problems) {
    const report = (message: string) => problems.warn(message);
    diag.setLogger({ error: report, warn: report, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  }
  // service.name defaults to scbot; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override and add.
  const resource = resourceFromAttributes({ 'service.name': 'scbot' }).merge(detectResources({ detectors: [envDetector] }));
  const process = (exporter: SpanExporter) => (exporters.spanProcessing === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter));
  const tracing = new NodeTracerProvider({ resource, spanProcessors: exporters.spans.map(process) });
  tracing.register();
  const interval = exporters.metricIntervalMs;
  const meters = new MeterProvider({
    resource,
    readers: exporters.metrics.map((exporter) => new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis: Math.min(30_000, interval) })),
  });
  metrics.setGlobalMeterProvider(meters);
  return {
    flush: async () => {
      await Promise.all([tracing.forceFlush(), meters.forceFlush()]);
    },
    shutdown: async () => {
      try {
        await Promise.all([tracing.shutdown(), meters.shutdown()]);
      } catch (error) {
        // A last export that fails (the collector is down) must not turn a clean stop into a failed one.
        problems?.warn(`the last export failed (${(error as { name?: string })?.name ?? 'Error'})`);
      } finally {
        trace.disable();
        metrics.disable();
        context.disable();
        propagation.disable();
        diag.disable();
      }
    },
  };
}
