import type { AnalysisRequest } from '../../lib/contracts/analysis-request';
import type { ProfileChange } from '../../lib/analysis/profile-change';
import type { PreferenceProfile } from '../../lib/analysis/profile-types';
import type { TripQualityReport } from '../../lib/analysis/trip-quality';
import type { AiEventType } from '../../lib/messaging/event-publisher';
import { jobOrchestration } from '../kit/job-orchestration';
import { AnalysisNames as Names } from './names';
import { analysisWorkflow } from './workflow';

/**
 * preferences: read the user's interactions over the window → profile → commit → store it (Blob,
 * then Redis) → announce PreferenceAnalyzed (+ PersonalizationUpdated when it changed beyond the
 * threshold) and AnalysisCompleted.
 * trip: read the cached schedule (the user's own) → quality report → commit → AnalysisCompleted.
 * Jobs of one user run one at a time (the kit's ordering line), so two analyses never race on a profile.
 */
export const analysisOrchestrator = jobOrchestration<AnalysisRequest>(
  () => analysisWorkflow,
  function* (job) {
    const { request } = job.input;
    const { activities } = Names;
    const base = { jobId: job.jobId, userId: request.userId, analysisType: request.analysisType };
    if (request.analysisType === 'preferences') {
      yield* job.enter('reading_interactions');
      const { profile, change, malformedLines } = yield* job.run<{
        profile: PreferenceProfile;
        change: ProfileChange;
        malformedLines: number;
      }>(activities.buildProfile, {
        userId: request.userId,
        windowDays: request.windowDays,
        now: job.context.df.currentUtcDateTime.toISOString(),
      });
      yield* job.enter('analysing');
      yield* job.commit();
      yield* job.enter('storing_profile');
      yield* job.run(activities.saveProfile, { profile });
      yield* job.enter('announcing_result');
      const summary = { ...base, profileUri: `/api/users/${encodeURIComponent(request.userId)}/profile` };
      const events: Array<{ eventType: AiEventType; body: unknown }> = [
        { eventType: 'PreferenceAnalyzed', body: { ...summary, profile } },
        ...(change.changed
          ? [{ eventType: 'PersonalizationUpdated' as const, body: { ...summary, change, profile } }]
          : []),
        { eventType: 'AnalysisCompleted', body: summary },
      ];
      yield* job.run(activities.announce, { jobId: job.jobId, events });
      return {
        result: { profile, change, malformedLines },
        data: { analysisType: 'preferences', personalizationUpdated: change.changed },
      };
    }
    yield* job.enter('reading_schedule');
    const report = yield* job.run<TripQualityReport>(activities.tripReport, {
      tripId: request.tripId,
      userId: request.userId,
    });
    yield* job.enter('analysing');
    yield* job.commit();
    yield* job.enter('announcing_result');
    yield* job.run(activities.announce, {
      jobId: job.jobId,
      events: [{ eventType: 'AnalysisCompleted', body: { ...base, tripId: request.tripId, report } }],
    });
    return { result: { report }, data: { analysisType: 'trip', tripId: request.tripId } };
  },
);
