import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The one tracer of the app; a no-op until telemetry-setup.ts registers a provider. */
export const tracer = () => trace.getTracer('tripgen-ai-service');

// W3C trace context is written and read directly (not through the global propagator), so a message
// carries `traceparent` whatever the host registered, and Service Bus's own `Diagnostic-Id` beside it.
const w3c = new W3CTraceContextPropagator();

/**
 * The trace context a job carries from its HTTP request to its last activity: plain JSON, so it can
 * travel in a message's application properties and in the orchestration input (JobInput.trace).
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's context as a carrier ({} when nothing is traced). */
export function currentTraceCarrier(active: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  w3c.inject(active, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier.traceparent
    ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) }
    : {};
}

/**
 * What a Service Bus message carries: W3C `traceparent` (and `tracestate`), plus `Diagnostic-Id`, the
 * property the Service Bus SDKs and Application Insights read to link a receive to its send.
 */
export function messageTraceProperties(active: Context = context.active()): Record<string, string> {
  const carrier = currentTraceCarrier(active);
  if (!carrier.traceparent) return {};
  return { ...carrier, 'Diagnostic-Id': carrier.traceparent } as Record<string, string>;
}

/** The parent context named by a carrier (a message's properties, a JobInput's trace); root when none. */
export function contextFromCarrier(carrier: unknown): Context {
  if (!carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  const source = carrier as Record<string, unknown>;
  const traceparent = source.traceparent ?? source['Diagnostic-Id'];
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  const values: Record<string, string> = { traceparent };
  if (typeof source.tracestate === 'string') values.tracestate = source.tracestate;
  return w3c.extract(ROOT_CONTEXT, values, {
    get: (c, k) => c[k],
    keys: (c) => Object.keys(c),
  });
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when left out. */
  parent?: Context;
}

/**
 * Runs `work` inside a new active span, ending it when the work settles; a throw marks the span failed
 * (name and message only: messages may quote a request, so no stack and no values go out).
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T> | T,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

export { SpanKind, propagation };
