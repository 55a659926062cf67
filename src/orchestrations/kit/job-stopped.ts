/**
 * Thrown inside a job orchestration when the job's record says it is already finished by someone else
 * (cancelled by request, failed by the reconciler): the orchestration stops before its next side effect.
 */
export class JobStopped extends Error {
  constructor(readonly status: string) {
    super(`the job is ${status}`);
    this.name = 'JobStopped';
  }
}
