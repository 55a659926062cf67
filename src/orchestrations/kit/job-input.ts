/** The input every job orchestration receives from the kit's intake (plain JSON: it is in the history). */
export interface JobInput<Request = unknown> {
  jobId: string;
  userId: string;
  workflow: string;
  request: Request;
  /** The job that must end before this one starts (same ordering key), if any. */
  after?: string;
  orderingKey?: string;
  maxProcessingTimeMs: number;
  modelParallelism: number;
  batchSize: number;
  /** W3C trace context of the job's orchestration span (telemetry on); activities' spans are its children. */
  trace?: { traceparent?: string; tracestate?: string };
}

/** What a job orchestration returns. */
export interface JobOutput {
  jobId: string;
  status: 'completed' | 'failed' | 'cancelled';
  result?: unknown;
  error?: string;
}
