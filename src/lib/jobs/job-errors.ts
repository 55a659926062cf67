/** Errors of the job-state layer. Each says which job and why, so it can go straight into a log or a 4xx. */
export class InvalidCheckpointError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid checkpoint: ${problems.join('; ')}`);
    this.name = 'InvalidCheckpointError';
  }
}

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} does not exist (its first checkpoint must carry userId and jobType)`);
    this.name = 'JobNotFoundError';
  }
}

export class JobAlreadyFinishedError extends Error {
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`Job ${jobId} is already ${status}; a finished job takes no further checkpoints`);
    this.name = 'JobAlreadyFinishedError';
  }
}

/** A cancel that came too late: the job has committed its result and is announcing it. */
export class JobCommittedError extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} is finishing: its result is committed and can no longer be cancelled`);
    this.name = 'JobCommittedError';
  }
}
