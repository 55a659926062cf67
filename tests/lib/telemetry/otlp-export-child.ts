/**
 * Run as its own Node process by telemetry-setup.test.ts (jest's module loader keeps the OTLP HTTP
 * exporter from sending): set telemetry up from the environment as the app does, make one span, flush.
 */
import { setupTelemetry, flushTelemetry } from '../../../src/lib/telemetry/telemetry-setup';
import { withSpan } from '../../../src/lib/telemetry/tracing';

async function main(): Promise<void> {
  const mode = setupTelemetry();
  await withSpan('otlp-exported-span', {}, () => undefined);
  await flushTelemetry();
  process.stdout.write(mode);
}

void main();
