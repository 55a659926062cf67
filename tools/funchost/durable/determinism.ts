import type { EpisodeResult } from './episode';
import type { Instance } from './instance';

/**
 * The replay check the Durable Task framework makes: every task the orchestrator creates under a
 * sequence id must be what the history recorded under that id (same kind, same function name), and
 * every recorded task must be created again. Returns the mismatch as a message, or undefined.
 */
export function checkDeterminism(instance: Instance, result: EpisodeResult): string | undefined {
  for (const work of result.trackedWork) {
    const recorded = instance.scheduled[work.id];
    const name = work.kind === 'timer' ? 'timer' : work.name;
    if (recorded && (recorded.kind !== work.kind || recorded.name !== name)) {
      return (
        `Non-deterministic workflow detected: task ${work.id} was ${recorded.kind} '${recorded.name}' in the history, ` +
        `but the orchestrator now schedules ${work.kind} '${name}'`
      );
    }
  }
  // Replaying past events re-creates every task they recorded, whether the orchestrator then waits,
  // finishes or continues as new; a failed one reports its own error instead.
  if (!result.trackedIds || result.failed) return undefined;
  for (const [id, recorded] of Object.entries(instance.scheduled)) {
    if (!result.trackedIds.has(Number(id))) {
      return (
        `Non-deterministic workflow detected: the history has ${recorded.kind} '${recorded.name}' as task ${id}, ` +
        `but the orchestrator no longer schedules it`
      );
    }
  }
  return undefined;
}
