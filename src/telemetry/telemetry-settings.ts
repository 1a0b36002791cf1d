import { z } from 'zod';

/**
 * The telemetry half of the configuration (see src/config.ts): the standard OpenTelemetry variables for OTLP, and
 * Application Insights' connection string for Azure Monitor. Off unless one of them names a destination; both
 * set: both receive the same spans and metrics. The exporters read the rest of the OTEL_* variables themselves
 * (headers, per-signal endpoints, timeouts, batching, sampler).
 */
export const TELEMETRY_SETTINGS = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'OTLP/HTTP base URL (e.g. http://otel-collector:4318): traces go to /v1/traces, metrics to /v1/metrics, as JSON. OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / _METRICS_ENDPOINT set one signal\'s full URL. Unset (and no Application Insights): telemetry off.',
  OTEL_EXPORTER_OTLP_HEADERS: 'Headers for the OTLP exporter, key=value,… (e.g. an API key: a secret). Read by the exporter.',
  OTEL_SERVICE_NAME: 'The service.name resource attribute. Default scbot. OTEL_RESOURCE_ATTRIBUTES adds others (e.g. deployment.environment.name=prod).',
  OTEL_METRIC_EXPORT_INTERVAL: 'Milliseconds between metric exports (1000-3600000). Default 60000.',
  OTEL_SDK_DISABLED: 'true: telemetry off whatever else is set. Default false.',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…): spans and metrics go to Azure Monitor. Unset (and no OTLP endpoint): telemetry off.',
} as const;

export interface TelemetrySettings {
  /** OTLP over HTTP to the endpoints in the OTEL_EXPORTER_OTLP_* variables (the exporters read them), per signal. */
  otlp: { traces: boolean; metrics: boolean };
  /** Azure Monitor (Application Insights); a secret-bearing value, never logged. */
  azureMonitorConnectionString?: string;
  metricIntervalMs: number;
}

export const TELEMETRY_OFF: Readonly<TelemetrySettings> = Object.freeze({ otlp: Object.freeze({ traces: false, metrics: false }), metricIntervalMs: 60_000 });

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalUrl = (name: string) => z.preprocess(blank, z.url({ error: `${name} must be a URL, e.g. http://otel-collector:4318` }).optional());

export const telemetrySchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'),
  // The exporters in use speak OTLP/HTTP with JSON bodies; another protocol would be silently ignored by them.
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(blank, z.enum(['http/json'], { error: 'OTEL_EXPORTER_OTLP_PROTOCOL: scbot sends OTLP over HTTP as JSON; set http/json or leave it unset' }).optional()),
  OTEL_METRIC_EXPORT_INTERVAL: z.preprocess(blank, z.coerce.number().int().min(1_000).max(3_600_000).default(60_000)),
  OTEL_SDK_DISABLED: z.preprocess(blank, z.enum(['true', 'false'], { error: 'OTEL_SDK_DISABLED must be true or false' }).default('false')),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(blank, z.string()
    .regex(/(^|;)\s*InstrumentationKey=[0-9a-f-]{36}\s*(;|$)/i, 'APPLICATIONINSIGHTS_CONNECTION_STRING must hold InstrumentationKey=<GUID> (copy it from the Application Insights resource)')
    .optional()),
});

export type TelemetryValues = z.infer<typeof telemetrySchema>;

export function telemetryFromValues(v: TelemetryValues): Readonly<TelemetrySettings> {
  if (v.OTEL_SDK_DISABLED === 'true') return TELEMETRY_OFF;
  // A signal goes over OTLP only where an endpoint was named: the exporters' default (localhost:4318) is nobody's choice.
  const otlp = Object.freeze({
    traces: Boolean(v.OTEL_EXPORTER_OTLP_ENDPOINT ?? v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
    metrics: Boolean(v.OTEL_EXPORTER_OTLP_ENDPOINT ?? v.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT),
  });
  return Object.freeze({
    otlp, metricIntervalMs: v.OTEL_METRIC_EXPORT_INTERVAL,
    ...(v.APPLICATIONINSIGHTS_CONNECTION_STRING ? { azureMonitorConnectionString: v.APPLICATIONINSIGHTS_CONNECTION_STRING } : {}),
  });
}

export function telemetryOn(settings: Readonly<TelemetrySettings>): boolean {
  return settings.otlp.traces || settings.otlp.metrics || settings.azureMonitorConnectionString !== undefined;
}
