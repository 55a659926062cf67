import type { HttpResponseInit } from '@azure/functions';
import type { FieldIssue } from '../errors/app-errors';

/** JSON responses with the shapes every endpoint of this API shares. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Cache-Control': 'no-store', ...headers } };
}

export function validationFailed(issues: FieldIssue[]): HttpResponseInit {
  return json(400, { error: 'ValidationFailed', message: 'The request has invalid fields', issues });
}

export function notFound(what: string): HttpResponseInit {
  return json(404, { error: 'NotFound', message: `${what} was not found` });
}

export function conflict(message: string, details: Record<string, unknown> = {}): HttpResponseInit {
  return json(409, { error: 'Conflict', message, ...details });
}

/** Absolute URL of an API path, from the request's own origin (so it works behind any host name). */
export function absoluteUrl(requestUrl: string, path: string): string {
  return new URL(path, requestUrl).toString();
}
