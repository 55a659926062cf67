/**
 * The default listener for a client's connection errors: one warning when an outage starts (the
 * first error after a quiet spell), then silence while ioredis keeps reconnecting, so a Redis that is
 * down for a minute writes one line, not hundreds. Without any listener ioredis prints each error as
 * "[ioredis] Unhandled error event".
 */
export function connectionErrorLogger(
  name: string,
  options: { quietMs?: number; log?: (line: string) => void; now?: () => number } = {},
): (error: Error) => void {
  const quietMs = options.quietMs ?? 30_000;
  const log = options.log ?? ((line: string) => console.warn(line));
  const now = options.now ?? Date.now;
  let lastAt = -Infinity;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastAt < quietMs) {
      suppressed += 1;
      lastAt = at;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more errors before this one were not logged)` : '';
    log(`[redis ${name}] connection error: ${error.message}${more}; reconnecting`);
    suppressed = 0;
    lastAt = at;
  };
}
