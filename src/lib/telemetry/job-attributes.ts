import type { Attributes } from '@opentelemetry/api';

/** The attributes that tie a span, metric or log line to one job (never its request body). */
export interface JobIdentity {
  jobId: string;
  workflow: string;
  userId?: string;
}

export const JobAttributeNames = {
  jobId: 'tripgen.job.id',
  workflow: 'tripgen.workflow',
  /** OpenTelemetry's semantic convention for the end user. */
  userId: 'enduser.id',
} as const;

export function jobAttributes(job: JobIdentity): Attributes {
  return {
    [JobAttributeNames.jobId]: job.jobId,
    [JobAttributeNames.workflow]: job.workflow,
    ...(job.userId ? { [JobAttributeNames.userId]: job.userId } : {}),
  };
}
