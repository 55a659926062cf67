/**
 * npm run bench:planner — planTrip for 7 days x 200 candidate places (generated with a fixed seed),
 * repeated; prints mean, p50 and p99 per case. Target: under 100 ms per plan.
 *
 * Cases: each pace, open all day; and packed with a third of the places keeping real-looking hours
 * (closed one weekday, or open only part of the day), which makes days drop stops and the route
 * search fall back to its window-feasible exact search.
 */
import { planTrip } from '../src/lib/planner';
import type { TripGenerationRequest } from '../src/lib/planner/types';
import { generatedRequest, parse, seededRandom } from '../tests/lib/planner/planner-fixtures';
import { median, percentile, printTable } from './bench-stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WARM_UP_RUNS = 10;
const HOURS = [
  {
    mon: [['10:00', '18:00']],
    wed: [['10:00', '18:00']],
    thu: [['10:00', '18:00']],
    sat: [['10:00', '18:00']],
  },
  {
    tue: [
      ['11:00', '15:00'],
      ['17:00', '22:00'],
    ],
    fri: [['11:00', '22:00']],
    sun: [['11:00', '22:00']],
  },
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['09:00', '13:00']]])),
];

function benchRequest(pace: 'relaxed' | 'moderate' | 'packed', withHours: boolean): TripGenerationRequest {
  const request = generatedRequest(42, 200, 7, { pace, budgetPerDay: 200_000 });
  if (!withHours) return request;
  const random = seededRandom(4242);
  const places = request.places.map((p) => {
    const pick = Math.floor(random() * HOURS.length * 3);
    return pick < HOURS.length ? { ...p, openingHours: HOURS[pick] } : p;
  });
  return parse({ ...request, places });
}

function measure(label: string, request: TripGenerationRequest) {
  for (let i = 0; i < WARM_UP_RUNS; i++) planTrip(request); // JIT
  const times: number[] = [];
  let stops = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const schedule = planTrip(request);
    times.push(performance.now() - started);
    stops = schedule.totals.stops;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    case: label,
    'stops planned': stops,
    'mean ms': times.reduce((a, b) => a + b, 0) / times.length,
    'p50 ms': median(times),
    'p99 ms': percentile(sorted, 99),
    'max ms': sorted[sorted.length - 1]!,
  };
}

printTable([
  measure('7 days x 200, relaxed', benchRequest('relaxed', false)),
  measure('7 days x 200, moderate', benchRequest('moderate', false)),
  measure('7 days x 200, packed', benchRequest('packed', false)),
  measure('7 days x 200, packed, opening hours', benchRequest('packed', true)),
]);
console.log(`\n${RUNS} runs per case after ${WARM_UP_RUNS} warm-up runs; target: under 100 ms per plan`);
