import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { createTripActivities } from '../orchestrations/trip-generation/activities';
import { TripGenerationNames } from '../orchestrations/trip-generation/names';
import { tripGenerationOrchestrator } from '../orchestrations/trip-generation/orchestrator';
import { tripPlanner } from '../orchestrations/trip-generation/planner-adapter';

df.app.orchestration(TripGenerationNames.orchestrator, tripGenerationOrchestrator);

const activities = createTripActivities({
  jobStore: () => appServices().jobStore(),
  scheduleCache: () => appServices().scheduleCache(),
  eventPublisher: () => appServices().eventPublisher(),
  planner: tripPlanner,
});
for (const [name, handler] of Object.entries(activities)) {
  df.app.activity(name, { handler: (input: unknown) => handler(input as never) });
}
