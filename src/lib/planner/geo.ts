import type { TripGenerationRequest } from './types';

export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_KM = 6371.0088;
/** Streets are not straight lines: a common urban detour factor over the great-circle distance. */
const DETOUR_FACTOR = 1.3;

/**
 * Per mode: door-to-door speed, a fixed overhead per leg (walking to the station and waiting, parking
 * a car), the fare per leg (KRW: a Seoul metro/bus base fare; a car's fuel is not counted), and the
 * leg a day should expect between two city sights, used only to size days before routing.
 */
export const TRAVEL_MODES = {
  walk: { kmPerHour: 4.5, overheadMinutes: 0, costPerLeg: 0, typicalLegMinutes: 20 },
  transit: { kmPerHour: 22, overheadMinutes: 8, costPerLeg: 1_500, typicalLegMinutes: 20 },
  car: { kmPerHour: 25, overheadMinutes: 5, costPerLeg: 0, typicalLegMinutes: 15 },
} as const;

/** A hop shorter than this is walked whatever the mode: nobody takes the metro for 400 m. */
export const WALKED_HOP_KM = 0.8;

function toRad(deg: number): number {
  return (deg * Math.PI) / 180;
}

export function haversineKm(a: Point, b: Point): number {
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Leg {
  km: number;
  minutes: number;
  cost: number;
}

export function travelLeg(from: Point, to: Point, mode: TripGenerationRequest['transport']): Leg {
  const km = haversineKm(from, to) * DETOUR_FACTOR;
  if (km < 0.05) return { km: 0, minutes: 0, cost: 0 };
  const { kmPerHour, overheadMinutes, costPerLeg } = TRAVEL_MODES[mode];
  if (mode !== 'walk' && km < WALKED_HOP_KM) return travelLeg(from, to, 'walk');
  return { km: round2(km), minutes: Math.ceil((km / kmPerHour) * 60 + overheadMinutes), cost: costPerLeg };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function centroid(points: Point[]): Point {
  const n = Math.max(points.length, 1);
  return {
    lat: points.reduce((s, p) => s + p.lat, 0) / n,
    lng: points.reduce((s, p) => s + p.lng, 0) / n,
  };
}
