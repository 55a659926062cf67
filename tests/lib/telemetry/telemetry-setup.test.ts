import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import path from 'node:path';

type SetupModule = typeof import('../../../src/lib/telemetry/telemetry-setup');
type TracingModule = typeof import('../../../src/lib/telemetry/tracing');

/** A fresh copy of the set-up module (it starts once per process). */
function freshModules(): { setup: SetupModule; tracing: TracingModule } {
  let modules: { setup: SetupModule; tracing: TracingModule } | undefined;
  jest.isolateModules(() => {
    modules = {
      setup: require('../../../src/lib/telemetry/telemetry-setup') as SetupModule,
      tracing: require('../../../src/lib/telemetry/tracing') as TracingModule,
    };
  });
  return modules!;
}

describe('telemetry set-up', () => {
  it('chooses Application Insights, then OTLP, else nothing', () => {
    const { setup } = freshModules();
    expect(setup.telemetryMode({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' })).toBe(
      'azure-monitor',
    );
    expect(
      setup.telemetryMode({
        APPLICATIONINSIGHTS_CONNECTION_STRING: ' ',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      }),
    ).toBe('otlp');
    expect(setup.telemetryMode({})).toBe('off');
  });

  it('is a no-op without either setting: spans are not recorded and nothing is put in messages', async () => {
    const { setup, tracing } = freshModules();
    expect(setup.setupTelemetry({})).toBe('off');
    await tracing.withSpan('nothing', {}, (span) => {
      expect(span.isRecording()).toBe(false);
      expect(tracing.messageTraceProperties()).toEqual({});
    });
  });

  it('exports spans over OTLP/HTTP to the endpoint when only OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const received: Array<{ url: string; body: Buffer }> = [];
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const child = spawn(
        process.execPath,
        [require.resolve('tsx/cli'), path.join(__dirname, 'otlp-export-child.ts')],
        {
          env: {
            ...process.env,
            APPLICATIONINSIGHTS_CONNECTION_STRING: '',
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise<void>((resolve) => child.on('exit', () => resolve()));
      expect(output).toBe('otlp');
      const traces = received.filter((r) => r.url === '/v1/traces');
      expect(traces.length).toBeGreaterThanOrEqual(1);
      expect(Buffer.concat(traces.map((r) => r.body)).includes('otlp-exported-span')).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
