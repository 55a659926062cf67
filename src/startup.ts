import { app } from '@azure/functions';
import { appServices } from './lib/app-services';
import { setupTelemetry } from './lib/telemetry/telemetry-setup';

// Validate every setting before any function registers: a missing or malformed one stops the start
// with a message naming it, instead of failing the first invocation that needs it.
appServices();

// Exporters start once, before any function runs; without a connection string or OTLP endpoint the
// OpenTelemetry API stays a no-op.
setupTelemetry();

// The SSE endpoint (GET /api/jobs/{jobId}/events) streams its response.
app.setup({ enableHttpStream: true });
