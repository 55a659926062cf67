import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { toError } from '../errors/app-errors';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { json } from './http-responses';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export interface ErrorResponseOptions {
  /** Seconds a client is told to wait when Redis is unreachable (Retry-After). */
  retryAfterSeconds?: number;
  /** Makes the id a 500 body and its log line share; random unless a test pins it. */
  newErrorId?: () => string;
}

/** Long enough for the client to have reconnected (backoff is capped well below it). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Wraps an HTTP handler so nothing it throws reaches the caller as internal text:
 * - Redis unreachable or timing out: 503 with Retry-After (the caller should simply try again);
 * - anything else: 500 `{ error: 'InternalError', errorId }`; the error's text and stack go to the
 *   log with the same errorId, so an operator can find it from what the caller reports.
 */
export function withErrorResponses(handler: HttpHandler, options: ErrorResponseOptions = {}): HttpHandler {
  const retryAfter = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  const newErrorId = options.newErrorId ?? randomUUID;
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (thrown) {
      const error = toError(thrown);
      const errorId = newErrorId();
      const where = `${request.method} ${new URL(request.url).pathname}`;
      if (isRedisUnavailable(error)) {
        context.warn(`[${errorId}] ${where}: Redis unavailable: ${error.message}`);
        return json(
          503,
          {
            error: 'ServiceUnavailable',
            message: `The job store is unreachable right now; retry after ${retryAfter} seconds`,
            errorId,
          },
          { 'Retry-After': String(retryAfter) },
        );
      }
      context.error(`[${errorId}] ${where}: ${error.stack ?? error.message}`);
      return json(500, {
        error: 'InternalError',
        message: `Something went wrong on our side; quote error id ${errorId} when reporting it`,
        errorId,
      });
    }
  };
}
