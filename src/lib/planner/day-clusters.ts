import type { Point } from './geo';
import type { Place } from './types';

/** Swap passes after the sweep; most instances settle in two or three. */
const MAX_SWAP_PASSES = 8;

/**
 * Splits places into `count` groups of near-equal size that lie close together: an angular sweep
 * around `centre` cuts the plane into wedges (starting at the widest empty angle, so no wedge straddles
 * a cluster), then pairwise swaps between groups shorten the distances to the group centres (a
 * k-means that keeps the sizes). Deterministic: ties broken by place id.
 */
export function clusterIntoDays(places: Place[], count: number, centre: Point): Place[][] {
  const groups: Place[][] = Array.from({ length: count }, () => []);
  const sweep = sweepOrder(places, centre);
  sweep.forEach((place, i) => groups[Math.floor((i * count) / Math.max(sweep.length, 1))]!.push(place));
  refineBySwaps(groups, centre);
  return groups;
}

function sweepOrder(places: Place[], centre: Point): Place[] {
  const withAngle = places
    .map((place) => ({ place, angle: bearing(centre, place) }))
    .sort((a, b) => a.angle - b.angle || compareIds(a.place, b.place));
  if (withAngle.length < 2) return withAngle.map((p) => p.place);
  let widestGapAfter = withAngle.length - 1;
  let widest = withAngle[0]!.angle + 2 * Math.PI - withAngle[withAngle.length - 1]!.angle;
  for (let i = 0; i + 1 < withAngle.length; i++) {
    const gap = withAngle[i + 1]!.angle - withAngle[i]!.angle;
    if (gap > widest + 1e-12) {
      widest = gap;
      widestGapAfter = i;
    }
  }
  const start = (widestGapAfter + 1) % withAngle.length;
  return [...withAngle.slice(start), ...withAngle.slice(0, start)].map((p) => p.place);
}

/**
 * The k-means objective (squared distance to the group mean, on a flat km projection) lowered by
 * swapping pairs between groups: a swap that lowers it against the current means, followed by new
 * means, lowers it again, so passes converge; the bound only caps the work.
 */
function refineBySwaps(groups: Place[][], centre: Point): void {
  const kmPerDegLng = 111.32 * Math.cos((centre.lat * Math.PI) / 180);
  const xy = groups.map((g) => g.map((p) => ({ place: p, x: p.lng * kmPerDegLng, y: p.lat * 110.57 })));
  const mean = (g: Array<{ x: number; y: number }>) => ({
    x: g.reduce((s, p) => s + p.x, 0) / Math.max(g.length, 1),
    y: g.reduce((s, p) => s + p.y, 0) / Math.max(g.length, 1),
  });
  const sq = (p: { x: number; y: number }, c: { x: number; y: number }) =>
    (p.x - c.x) ** 2 + (p.y - c.y) ** 2;
  for (let pass = 0; pass < MAX_SWAP_PASSES; pass++) {
    let swapped = false;
    const means = xy.map(mean);
    for (let g = 0; g < xy.length; g++) {
      for (let h = g + 1; h < xy.length; h++) {
        const [G, H, cg, ch] = [xy[g]!, xy[h]!, means[g]!, means[h]!];
        for (let i = 0; i < G.length; i++) {
          for (let j = 0; j < H.length; j++) {
            const a = G[i]!;
            const b = H[j]!;
            if (sq(a, ch) + sq(b, cg) < sq(a, cg) + sq(b, ch) - 1e-9) {
              G[i] = b;
              H[j] = a;
              swapped = true;
            }
          }
        }
      }
    }
    if (!swapped) break;
  }
  xy.forEach((g, i) => (groups[i] = g.map((p) => p.place)));
}

/** Angle of `to` seen from `from`, east = 0, on a local flat projection (fine within a city). */
function bearing(from: Point, to: Point): number {
  return Math.atan2(to.lat - from.lat, (to.lng - from.lng) * Math.cos((from.lat * Math.PI) / 180));
}

function compareIds(a: Place, b: Place): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
