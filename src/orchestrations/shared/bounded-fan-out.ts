import type * as df from 'durable-functions';
import { type ActivityOutcome, JobFailure, unwrap } from './activity-outcome';

/**
 * Runs `count` activities with at most `parallelism` in flight (a sliding window, not batches: a slow
 * day does not hold the next ones back), each raced against the job's deadline. Deterministic: the
 * order of starts depends only on the order of completions recorded in the history.
 */
export function* boundedFanOut<T>(
  context: df.OrchestrationContext,
  count: number,
  parallelism: number,
  start: (index: number) => df.Task,
  deadline: df.Task,
  onDone?: (completed: number) => Generator<df.Task, void, unknown>,
): Generator<df.Task, T[], unknown> {
  const results = new Array<T>(count);
  const inFlight: Array<{ index: number; task: df.Task }> = [];
  let next = 0;
  let completed = 0;
  while (completed < count) {
    while (inFlight.length < parallelism && next < count) {
      inFlight.push({ index: next, task: start(next) });
      next += 1;
    }
    // A task may have completed while the orchestrator awaited something else (a progress checkpoint):
    // take it directly, because Task.any over already-completed tasks never resolves in durable-functions.
    const ready = inFlight.find((f) => f.task.isCompleted);
    const winner = ready
      ? ready.task
      : ((yield context.df.Task.any([...inFlight.map((f) => f.task), deadline])) as df.Task);
    if (winner === deadline) throw deadlineFailure();
    const position = inFlight.findIndex((f) => f.task === winner);
    const [finished] = inFlight.splice(position, 1);
    results[finished!.index] = unwrap((yield winner) as ActivityOutcome<T>);
    completed += 1;
    if (onDone) yield* onDone(completed);
  }
  return results;
}

/** Awaits one activity raced against the deadline. */
export function* withinDeadline<T>(
  context: df.OrchestrationContext,
  task: df.Task,
  deadline: df.Task,
): Generator<df.Task, T, unknown> {
  const winner = task.isCompleted ? task : yield context.df.Task.any([task, deadline]);
  if (winner === deadline) throw deadlineFailure();
  return unwrap((yield task) as ActivityOutcome<T>);
}

export function deadlineFailure(): JobFailure {
  return new JobFailure('Timeout', 'the job exceeded its maximum processing time (AI MaxProcessingTime)');
}
