import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { json, validationFailed } from './http-responses';
import { findJsonSyntaxError } from './json-syntax';

/** The one media type JSON routes accept (with or without `charset=utf-8`). */
export const JSON_MEDIA_TYPE = 'application/json';

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; response: HttpResponseInit };

export interface JsonBodyOptions {
  /** Refuse anything but a JSON object (arrays, strings, numbers, null): the default. */
  requireObject?: boolean;
}

/**
 * The body of a JSON route, or the response that says what is wrong with it: 415 for any other
 * Content-Type (form data, XML and text/plain were accepted before, issue 12), 400 naming the line,
 * column and offset of malformed JSON, 400 for a body that is not an object.
 */
export async function readJsonBody(
  request: Pick<HttpRequest, 'headers' | 'text'>,
  options: JsonBodyOptions = {},
): Promise<JsonBodyResult> {
  const mediaProblem = contentTypeProblem(request.headers.get('content-type'));
  if (mediaProblem) {
    return {
      ok: false,
      response: json(415, {
        error: 'UnsupportedMediaType',
        message: mediaProblem,
        accepted: [JSON_MEDIA_TYPE],
      }),
    };
  }
  const text = await request.text();
  if (text.trim() === '') {
    return { ok: false, response: bodyIssue('is empty; send a JSON object') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    return {
      ok: false,
      response: json(400, {
        error: 'MalformedJson',
        message: `The body is not valid JSON: ${where?.message ?? 'it could not be parsed'}`,
        position: where ? { offset: where.offset, line: where.line, column: where.column } : undefined,
      }),
    };
  }
  if ((options.requireObject ?? true) && !isPlainObject(value)) {
    return { ok: false, response: bodyIssue(`must be a JSON object, not ${describe(value)}`) };
  }
  return { ok: true, value };
}

/** Why a Content-Type header is not acceptable, or undefined when it is. */
export function contentTypeProblem(header: string | null): string | undefined {
  if (!header) return `Content-Type is missing; send ${JSON_MEDIA_TYPE}`;
  const [type, ...params] = header.split(';').map((part) => part.trim());
  if (type?.toLowerCase() !== JSON_MEDIA_TYPE) {
    return `Content-Type "${header}" is not supported; send ${JSON_MEDIA_TYPE}`;
  }
  for (const param of params) {
    const [name, raw] = param.split('=').map((part) => part.trim());
    const charset = raw?.replace(/^"|"$/g, '').toLowerCase();
    if (name?.toLowerCase() === 'charset' && charset !== 'utf-8' && charset !== 'utf8') {
      return `charset "${raw}" is not supported; JSON is read as utf-8 (${JSON_MEDIA_TYPE}; charset=utf-8)`;
    }
  }
  return undefined;
}

function bodyIssue(message: string): HttpResponseInit {
  return validationFailed([{ path: '(body)', message }]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
