/**
 * ISO 8601 durations as Service Bus and ARM write them ("PT30M", "P7D", "PT1H30M").
 * Only day/hour/minute/second parts: years and months have no fixed length and no
 * Service Bus property uses them.
 */
const PATTERN = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function isoDurationToMs(duration: string): number {
  const match = PATTERN.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) {
    throw new Error(`"${duration}" is not an ISO 8601 duration of days, hours, minutes and seconds`);
  }
  const [, days, hours, minutes, seconds] = match;
  return (
    ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000)
  );
}

/** "hh:mm:ss" as host.json writes TimeSpans; days become extra hours past 24. */
export function msToTimeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
}
