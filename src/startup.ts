import { app } from '@azure/functions';
import { appServices } from './lib/app-services';

// Validate every setting before any function registers: a missing or malformed one stops the start
// with a message naming it, instead of failing the first invocation that needs it.
appServices();

// The SSE endpoint (GET /api/jobs/{jobId}/events) streams its response.
app.setup({ enableHttpStream: true });
