import type { BlobServiceClient } from '@azure/storage-blob';
import { buildPreferenceProfile, profileChanged, profileWindow } from '../../lib/analysis/preference-profile';
import type { ProfileStore } from '../../lib/analysis/profile-store';
import type { PreferenceProfile } from '../../lib/analysis/profile-types';
import { qualityContextFromSchedule, tripQualityReport } from '../../lib/analysis/trip-quality';
import type { CacheAside } from '../../lib/cache/cache-aside';
import { PermanentError } from '../../lib/errors/app-errors';
import { readInteractions } from '../../lib/interactions/interaction-log';
import type { AiEventType, EventPublisher } from '../../lib/messaging/event-publisher';
import type { TripSchedule } from '../../lib/planner/types';
import { Keys } from '../../lib/redis/keys';
import { runActivity } from '../shared/activity-outcome';
import type { ActivityHandler } from '../kit/workflow-definition';
import { AnalysisNames as Names } from './names';

export interface AnalysisActivityDeps {
  blobService(): BlobServiceClient;
  profileStore(): Promise<ProfileStore>;
  scheduleCache(): Promise<CacheAside<unknown>>;
  eventPublisher(): EventPublisher;
}

/**
 * The analysis activities. Each is safe to retry: building reads only; saving overwrites the user's
 * one profile blob and key; each announcement's message id is derived from its type and the job.
 */
export function createAnalysisActivities(deps: AnalysisActivityDeps): Record<string, ActivityHandler> {
  return {
    [Names.activities.buildProfile]: (input: { userId: string; windowDays?: number; now: string }) =>
      runActivity(async () => {
        const now = new Date(input.now);
        const { from, to } = profileWindow(now, input.windowDays);
        let malformed = 0;
        const rows = readInteractions(deps.blobService(), {
          from,
          to,
          userId: input.userId,
          onMalformed: () => (malformed += 1),
        });
        const profile = await buildPreferenceProfile(rows, {
          userId: input.userId,
          now,
          ...(input.windowDays ? { windowDays: input.windowDays } : {}),
        });
        const previous = await (await deps.profileStore()).get(input.userId);
        return { profile, change: profileChanged(previous, profile), malformedLines: malformed };
      }),
    [Names.activities.saveProfile]: (input: { profile: PreferenceProfile }) =>
      runActivity(async () => (await deps.profileStore()).save(input.profile)),
    [Names.activities.tripReport]: (input: { tripId: string; userId: string }) =>
      runActivity(async () => {
        const schedule = (await (await deps.scheduleCache()).get(Keys.schedule(input.tripId))) as
          TripSchedule | undefined;
        if (!schedule)
          throw new PermanentError(
            `trip ${input.tripId} has no cached schedule (expired after 8 h?)`,
            'TripNotFound',
          );
        // Another user's trip is reported as not found: its existence is not this user's to learn.
        if (schedule.userId !== input.userId)
          throw new PermanentError(
            `trip ${input.tripId} has no cached schedule for this user`,
            'TripNotFound',
          );
        return tripQualityReport(schedule, qualityContextFromSchedule(schedule));
      }),
    [Names.activities.announce]: (input: {
      jobId: string;
      events: Array<{ eventType: AiEventType; body: unknown }>;
    }) =>
      runActivity(async () => {
        for (const event of input.events)
          await deps.eventPublisher().publish(event.eventType, input.jobId, event.body);
      }),
  };
}
