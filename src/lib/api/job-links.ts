/** Where a job's resources live in this API; one place, so responses and docs agree. */
export const ApiRoutes = {
  submitJob: 'jobs/{workflow}',
  job: 'jobs/{jobId}',
  jobEvents: 'jobs/{jobId}/events',
  tripSchedule: 'trips/{tripId}/schedule',
} as const;

export function jobLinks(jobId: string, tripId?: string) {
  const id = encodeURIComponent(jobId);
  return {
    statusUri: `/api/jobs/${id}`,
    eventsUri: `/api/jobs/${id}/events`,
    ...(tripId !== undefined ? { scheduleUri: `/api/trips/${encodeURIComponent(tripId)}/schedule` } : {}),
  };
}
