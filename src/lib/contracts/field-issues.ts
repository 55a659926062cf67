import type { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';

/** zod issues as `places[3].lat: must be at most 90`, one per invalid field. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

/**
 * One readable line for an HTTP 400 body or a dead-letter description. `maxLength` caps it for
 * carriers with a limit (a dead-letter description is a message property: keep it to a few KB):
 * whole issues are kept while they fit, then a count of the rest.
 */
export function formatIssues(issues: FieldIssue[], options: { maxLength?: number } = {}): string {
  const parts = issues.map((i) => `${i.path || '(message)'}: ${i.message}`);
  const full = parts.join('; ');
  const max = options.maxLength;
  if (max === undefined || full.length <= max) return full;
  let line = '';
  for (const [index, part] of parts.entries()) {
    const more = `; … and ${parts.length - index} more`;
    const next = line ? `${line}; ${part}` : part;
    if (next.length + more.length > max) return `${line || '(issues)'}${more}`.slice(0, max);
    line = next;
  }
  return line;
}
