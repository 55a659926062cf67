import { assembleSchedule } from './assemble';
import { optimiseDayRoute } from './optimise-day';
import { planDay } from './plan-day';
import { selectAndAssign } from './select-and-assign';
import type { TripGenerationRequest, TripSchedule } from './types';

export { assembleSchedule, optimiseDayRoute, planDay, selectAndAssign };
export type * from './types';

/** The whole planner in one call (the orchestration runs the same steps as separate activities). */
export function planTrip(request: TripGenerationRequest): TripSchedule {
  const { days, leftOut } = selectAndAssign(request);
  const plans = days.map((assignment) => optimiseDayRoute(request, planDay(request, assignment)));
  return assembleSchedule(request, plans, leftOut);
}
