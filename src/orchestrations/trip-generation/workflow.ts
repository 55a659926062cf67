import { createTripActivities } from './activities';
import {
  parseTripGenerationRequest,
  TRIP_REQUEST_SCHEMA_VERSION,
} from '../../lib/contracts/trip-generation-request';
import { startDateIssues } from '../../lib/contracts/trip-dates';
import { jobLinks } from '../../lib/api/job-links';
import { QueueNames } from '../../lib/messaging/topology';
import type { WorkflowDefinition } from '../kit/workflow-definition';
import type { TripRequestRef } from './contracts';
import { TripGenerationNames } from './names';
import { tripGenerationOrchestrator } from './orchestrator';
import { tripPlanner } from './planner-adapter';
import { TRIP_STEPS } from './progress-plan';

type TripJobRequest = TripRequestRef & { jobId: string; sessionId: string };

/** Trip generation: one itinerary for one trip request; jobs of one session (or user) run in order. */
export const tripGenerationWorkflow: WorkflowDefinition<TripJobRequest> = {
  name: 'trip-generation',
  queue: QueueNames.tripGeneration,
  contract: {
    schemaVersion: TRIP_REQUEST_SCHEMA_VERSION,
    parse: (body, newJobId) => parseTripGenerationRequest(body, newJobId ? { newJobId } : {}),
  },
  orchestratorName: TripGenerationNames.orchestrator,
  orchestrator: tripGenerationOrchestrator,
  activities: (services) =>
    createTripActivities({
      scheduleCache: () => services().scheduleCache(),
      eventPublisher: () => services().eventPublisher(),
      profileStore: () => services().profileStore(),
      planner: tripPlanner,
    }),
  orderingKey: (request) => request.sessionId,
  steps: TRIP_STEPS,
  events: ['TripGenerated'],
  queuedData: (request) => ({ tripId: request.tripId }),
  links: (request) => ({ scheduleUri: jobLinks(request.jobId, request.tripId).scheduleUri! }),
  // Parsed by the contract above, so startDate is a date and timeZone a zone when present.
  admit: (request, now) =>
    startDateIssues(
      {
        startDate: String(request.startDate),
        ...(typeof request.timeZone === 'string' ? { timeZone: request.timeZone } : {}),
      },
      now,
    ),
  ownedTrip: (request) => request.tripId,
};
