/** Prints a trip schedule (GET /api/trips/{tripId}/schedule) as a day-by-day table. */
export interface Schedule {
  destination: string;
  transport: string;
  days: Array<{
    date: string;
    weekday: string;
    stops: Array<{
      arrival: string;
      departure: string;
      name: string;
      category: string;
      travelMinutesFromPrevious: number;
      travelKmFromPrevious: number;
      estimatedCost: number;
    }>;
    returnToLodging?: { arrival: string; travelMinutes: number };
    totals: { stops: number; travelMinutes: number; travelKm: number; estimatedCost: number };
  }>;
  totals: { stops: number; travelKm: number; estimatedCost: number };
  leftOut: Array<{ name: string; reason: string }>;
}

export function printItinerary(schedule: Schedule): void {
  const won = (n: number) => `₩${n.toLocaleString('en-US')}`;
  console.log(`\n${schedule.destination} by ${schedule.transport}\n`);
  for (const [i, day] of schedule.days.entries()) {
    console.log(`Day ${i + 1} — ${day.date} (${day.weekday})`);
    console.table(
      day.stops.map((s) => ({
        arrive: s.arrival,
        leave: s.departure,
        place: s.name,
        category: s.category,
        'travel before': `${s.travelMinutesFromPrevious} min / ${s.travelKmFromPrevious} km`,
        cost: won(s.estimatedCost),
      })),
    );
    const back = day.returnToLodging ? `, back at the lodging ${day.returnToLodging.arrival}` : '';
    console.log(
      `  ${day.totals.stops} stops, ${day.totals.travelMinutes} min travel (${day.totals.travelKm} km), ${won(day.totals.estimatedCost)}${back}\n`,
    );
  }
  console.log(
    `Trip: ${schedule.totals.stops} stops, ${schedule.totals.travelKm} km, about ${won(schedule.totals.estimatedCost)}`,
  );
  console.log(
    `Left out: ${schedule.leftOut.length} candidates (${[...new Set(schedule.leftOut.map((l) => l.reason))].join(', ')})`,
  );
}
