import { runModelTask, type ModelTask } from './model-tasks';

/** The worker-thread entry piscina loads: every model task, run by the same switch as in process. */
export default function modelWorker(task: ModelTask) {
  return runModelTask(task);
}
