/**
 * Telemetry for the composition root (bot/main.ts): off (nothing loaded, nothing started) unless the settings name a
 * destination; otherwise the SDK with an OTLP/HTTP exporter per signal that has an endpoint, and Azure Monitor's
 * exporters when Application Insights' connection string is set. Each module is imported only when used.
 */
import type { Logger } from '../logging';
import type { RunningTelemetry, TelemetryExporters } from './sdk';
import { telemetryOn, type TelemetrySettings } from './telemetry-settings';

export type { RunningTelemetry } from './sdk';

async function exportersFor(settings: Readonly<TelemetrySettings>): Promise<TelemetryExporters> {
  const exporters: TelemetryExporters = { spans: [], metrics: [], metricIntervalMs: settings.metricIntervalMs };
  // The OTLP exporters read OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout, compression) themselves.
  if (settings.otlp.traces) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporters.spans.push(new OTLPTraceExporter());
  }
  if (settings.otlp.metrics) {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    exporters.metrics.push(new OTLPMetricExporter());
  }
  const connectionString = settings.azureMonitorConnectionString;
  if (connectionString) {
    const { AzureMonitorMetricExporter, AzureMonitorTraceExporter } = await import('@azure/monitor-opentelemetry-exporter');
    exporters.spans.push(new AzureMonitorTraceExporter({ connectionString }));
    exporters.metrics.push(new AzureMonitorMetricExporter({ connectionString }));
  }
  return exporters;
}

/** The running SDK, or undefined when telemetry is off. Call before the app is composed, shut down after it closed. */
export async function startTelemetry(settings: Readonly<TelemetrySettings>, logger: Logger): Promise<RunningTelemetry | undefined> {
  if (!telemetryOn(settings)) return undefined;
  const exporters = await exportersFor(settings);
  const { startTelemetrySdk } = await import('./sdk');
  const running = startTelemetrySdk(exporters, { warn: (message) => logger.warn({ telemetry: message }, 'telemetry export problem') });
  logger.info({ otlpTraces: settings.otlp.traces, otlpMetrics: settings.otlp.metrics, azureMonitor: settings.azureMonitorConnectionString !== undefined }, 'telemetry on');
  return running;
}
