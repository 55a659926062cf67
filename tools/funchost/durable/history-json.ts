import type { HistoryEvent } from './history';
import type { Instance } from './instance';

/**
 * The JSON text of an instance's past events as the orchestration trigger carries them (each marked
 * IsPlayed), kept per instance and extended by the events each episode appends, so an episode
 * serialises only its new events instead of the whole history again (a trip orchestration runs 21
 * episodes over a history of about 90 events and 137 KB).
 *
 * The text stays valid while the instance's history starts with the very event objects it was built
 * from: the backend appends to the history and never edits an event in place; when it replaces the
 * history (continueAsNew, a restored instance, a failed episode) the check below finds the mismatch
 * and the text is rebuilt from the events. Not persisted: a restarted host rebuilds it once.
 */
interface PlayedJson {
  /** Events covered, from the start of the history. */
  count: number;
  /** The first and the last event covered (identity, not equality, is what is checked). */
  first: HistoryEvent | undefined;
  last: HistoryEvent | undefined;
  /** The covered events' JSON, comma-separated (no brackets). */
  json: string;
  /** The instance input the inputJson below was made from, and that text. */
  input: unknown;
  inputJson: string | undefined;
}

const cache = new WeakMap<Instance, PlayedJson>();

/** One event as a played event of the trigger's history. */
export function playedEventJson(event: HistoryEvent): string {
  return JSON.stringify(event.IsPlayed ? event : { ...event, IsPlayed: true });
}

function entryFor(instance: Instance): PlayedJson {
  const history = instance.history;
  let entry = cache.get(instance);
  const valid =
    entry !== undefined &&
    history.length >= entry.count &&
    (entry.count === 0 || (history[0] === entry.first && history[entry.count - 1] === entry.last));
  if (!valid) {
    entry = { count: 0, first: undefined, last: undefined, json: '', input: undefined, inputJson: undefined };
    cache.set(instance, entry);
  }
  return entry!;
}

/** The past events' JSON (comma-separated, without brackets; '' for an empty history). */
export function playedHistoryJson(instance: Instance): string {
  const entry = entryFor(instance);
  const history = instance.history;
  if (history.length > entry.count) {
    const added = history.slice(entry.count).map(playedEventJson).join(',');
    entry.json = entry.json === '' ? added : `${entry.json},${added}`;
    entry.count = history.length;
    entry.first = history[0];
    entry.last = history[history.length - 1];
  }
  return entry.json;
}

/** The instance input's JSON (undefined when there is none), made once per input value. */
export function inputJson(instance: Instance): string | undefined {
  const entry = entryFor(instance);
  if (entry.inputJson === undefined || entry.input !== instance.input) {
    entry.input = instance.input;
    entry.inputJson = JSON.stringify(instance.input);
  }
  return entry.inputJson;
}

/** Drops the text kept for an instance (it finished: no episode will need it again). */
export function forgetHistoryJson(instance: Instance): void {
  cache.delete(instance);
}
