import { appServices } from '../app-services';
import { sharedSubscriber } from '../redis/shared-clients';
import { feedBoard } from './board-feed';
import { JobBoard } from './job-board';

let board: Promise<JobBoard> | undefined;

/** The process's board, fed from the job channels from the first call on. */
export function opsBoard(): Promise<JobBoard> {
  board ??= (async () => {
    const services = appServices();
    const created = new JobBoard();
    const subscriber = await sharedSubscriber(services.settings);
    await feedBoard(subscriber.client, await services.jobStore(), created);
    return created;
  })().catch((error: unknown) => {
    board = undefined; // try again on the next request
    throw error;
  });
  return board;
}

/** For hosts that load the app more than once in one process (tests). */
export function resetOpsBoard(): void {
  board = undefined;
}
