import { metrics } from '@opentelemetry/api';

export type TelemetryMode = 'azure-monitor' | 'otlp' | 'off';

export interface TelemetryEnv {
  APPLICATIONINSIGHTS_CONNECTION_STRING?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

/** Which exporter the settings ask for: Application Insights first, then an OTLP collector, else none. */
export function telemetryMode(env: TelemetryEnv = process.env): TelemetryMode {
  if (env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim()) return 'azure-monitor';
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return 'otlp';
  return 'off';
}

let started: TelemetryMode | undefined;

/**
 * Once per process, before any function runs (src/startup.ts). With neither setting the
 * OpenTelemetry API stays a no-op: spans are not recorded and instruments cost a function call.
 * - APPLICATIONINSIGHTS_CONNECTION_STRING: applicationinsights 3 (the Azure Monitor OpenTelemetry
 *   distro) exports traces, metrics and logs to Application Insights, and to an OTLP collector too
 *   when OTEL_EXPORTER_OTLP_ENDPOINT is also set.
 * - OTEL_EXPORTER_OTLP_ENDPOINT alone: the OpenTelemetry SDK with OTLP/HTTP exporters (the standard
 *   OTEL_* variables configure them), for a local collector or another backend.
 * Modules load lazily, so a process without telemetry never loads the SDK.
 */
export function setupTelemetry(env: TelemetryEnv = process.env): TelemetryMode {
  if (started) return started;
  started = telemetryMode(env);
  if (started === 'azure-monitor') startAzureMonitor(env);
  else if (started === 'otlp') startOtlp();
  return started;
}

function startAzureMonitor(env: TelemetryEnv): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { useAzureMonitor } = require('applicationinsights') as typeof import('applicationinsights');
  const otlp = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING!.trim() },
    // Request bodies never leave the app: console capture stays off, logs go through context.log.
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      redis4: { enabled: false },
    },
    ...(otlp
      ? { otlpTraceExporterConfig: { enabled: true }, otlpMetricExporterConfig: { enabled: true } }
      : {}),
  } as Parameters<typeof useAzureMonitor>[0]);
}

function startOtlp(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const traceSdk = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const metricSdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { OTLPMetricExporter } =
    require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The SDK's default resource reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES itself.
  const tracerProvider = new traceSdk.NodeTracerProvider({
    spanProcessors: [new traceSdk.BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracerProvider.register();
  const meterProvider = new metricSdk.MeterProvider({
    readers: [new metricSdk.PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  flushers.push(
    () => tracerProvider.forceFlush(),
    () => meterProvider.forceFlush(),
  );
}

const flushers: Array<() => Promise<void>> = [];

/** Sends what is buffered (tests, and the local host before it stops). */
export async function flushTelemetry(): Promise<void> {
  await Promise.all(flushers.map((flush) => flush().catch(() => undefined)));
}
