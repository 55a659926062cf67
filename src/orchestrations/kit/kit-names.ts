/** Function and event names the kit shares by every workflow (registrations, orchestrations, tests). */
export const KitNames = {
  activities: {
    checkpoint: 'jobCheckpoint',
    commit: 'jobCommitResult',
    turn: 'jobTurn',
    handOver: 'jobHandOver',
  },
  /** Raised on a waiting job when the job before it in its ordering line ends. */
  turnEvent: 'PredecessorFinished',
} as const;
