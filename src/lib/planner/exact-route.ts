import { dayRules, startOfDay, visit, type WalkState } from './day-walk';
import { travelLeg, type Leg } from './geo';
import type { Place, TripGenerationRequest } from './types';

/** Partial orders kept per (stops visited, last stop): a cap on pathological cases, rarely reached. */
const LABELS_PER_STATE = 12;

interface Label {
  km: number;
  state: WalkState;
  last: number;
  parent: Label | undefined;
}

/**
 * The order of all `places` with the least travel that the day's windows allow (opening hours, day
 * window, pace): Held-Karp over (stops visited, last stop), keeping for each the partial orders that
 * no other beats on travel, clock and busy time together. A partial order that is no shorter, no
 * earlier and no busier than another cannot lead anywhere the other cannot (waiting is always
 * allowed), so dropping it loses nothing. Partial orders that cannot end under `boundKm` (travel so
 * far plus the shortest leg into each stop still to visit) are cut. Undefined when none ends under it.
 */
export function bestWindowedOrder(
  request: TripGenerationRequest,
  weekday: string,
  places: Place[],
  boundKm: number,
): number[] | undefined {
  const n = places.length;
  const rules = dayRules(request, weekday);
  const mode = request.transport;
  const none: Leg = { km: 0, minutes: 0, cost: 0 };
  const lodging = request.lodging;
  const fromStart = places.map((p) => (lodging ? travelLeg(lodging, p, mode) : none));
  const home = places.map((p) => (lodging ? travelLeg(p, lodging, mode) : none));
  const between = places.map((a) => places.map((b) => travelLeg(a, b, mode)));
  const cheapestIn = places.map((_, i) =>
    Math.min(fromStart[i]!.km, ...between.map((legs, j) => (j === i ? Infinity : legs[i]!.km))),
  );
  const labels: Label[][] = Array.from({ length: (1 << n) * n }, () => []);
  const start: Label = { km: 0, state: startOfDay(rules), last: -1, parent: undefined };

  const extend = (from: Label, set: number) => {
    let stillToReach = 0;
    for (let i = 0; i < n; i++) if (!(set & (1 << i))) stillToReach += cheapestIn[i]!;
    for (let next = 0; next < n; next++) {
      if (set & (1 << next)) continue;
      const leg = from.last < 0 ? fromStart[next]! : between[from.last]![next]!;
      const km = from.km + leg.km;
      if (km + stillToReach - cheapestIn[next]! >= boundKm - 1e-9) continue;
      const step = visit(rules, from.state, places[next]!, { leg, backMinutes: home[next]!.minutes });
      if (step.ok)
        keep(labels[(set | (1 << next)) * n + next]!, { km, state: step.next, last: next, parent: from });
    }
  };

  extend(start, 0);
  for (let set = 1; set < 1 << n; set++) {
    for (let last = 0; last < n; last++) for (const label of labels[set * n + last]!) extend(label, set);
  }
  let best: Label | undefined;
  let bestKm = boundKm - 1e-9;
  const full = (1 << n) - 1;
  for (let last = 0; last < n; last++) {
    for (const label of labels[full * n + last]!) {
      const total = label.km + home[last]!.km;
      if (total < bestKm) [best, bestKm] = [label, total];
    }
  }
  const order: number[] = [];
  for (let label = best; label && label.last >= 0; label = label.parent) order.push(label.last);
  return best ? order.reverse() : undefined;
}

/** Whether label a is at least as good as b on every count (module-level: keep() runs in the inner loop). */
function beats(a: Label, b: Label): boolean {
  return a.km <= b.km + 1e-9 && a.state.clock <= b.state.clock && a.state.busy <= b.state.busy;
}

/** Adds a label unless another beats it; drops those it beats; keeps the shortest few. */
function keep(bucket: Label[], label: Label): void {
  let kept = 0;
  for (const other of bucket) {
    if (beats(other, label)) return;
    if (!beats(label, other)) bucket[kept++] = other;
  }
  bucket.length = kept;
  let at = kept;
  while (at > 0 && bucket[at - 1]!.km > label.km) at--;
  bucket.splice(at, 0, label);
  if (bucket.length > LABELS_PER_STATE) bucket.length = LABELS_PER_STATE;
}
