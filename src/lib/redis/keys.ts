/**
 * The one place Redis key and Pub/Sub channel names are built (patterns from the Redis production guide).
 *
 * Keys carry the id as a cluster hash tag ({...}), so every key of one job (status, progress, event
 * stream) lands in one slot of the clustered Premium cache and one Lua script can change them together.
 * Channels are exactly the guide's names without braces: other TripGen services subscribe to them by
 * pattern, and Pub/Sub channels are not sharded by slot.
 */
import { createHash } from 'node:crypto';
import { assertJobId, assertKeyPart } from './key-parts';

export const KEY_PREFIX = 'ai';

export const Keys = {
  jobStatus: (jobId: string) => `${KEY_PREFIX}:job:status:{${assertJobId(jobId)}}`,
  jobProgress: (jobId: string) => `${KEY_PREFIX}:job:progress:{${assertJobId(jobId)}}`,
  jobEvents: (jobId: string) => `${KEY_PREFIX}:job:events:{${assertJobId(jobId)}}`,
  schedule: (tripId: string) => `${KEY_PREFIX}:schedule:{${assertKeyPart('tripId', tripId)}}`,
  /** The user a trip (and so its cached schedule) belongs to; same slot as the schedule (trips/trip-owners.ts). */
  tripOwner: (tripId: string) => `${KEY_PREFIX}:schedule:{${assertKeyPart('tripId', tripId)}}:owner`,
  recommendation: (userId: string, type: string) =>
    `${KEY_PREFIX}:recommendation:{${assertKeyPart('userId', userId)}}:${assertKeyPart('type', type)}`,
  /**
   * One destination's list of a recommendation type: the type part carries the destination
   * (percent-encoded, or its digest when long), so lists of different destinations never mix.
   */
  recommendationIn: (userId: string, type: string, destination: string): string =>
    Keys.recommendation(userId, `${type}:${destinationPart(destination)}`),
  /**
   * The arrival line of one ordering key of one workflow (jobs with that key run one at a time, see
   * src/lib/jobs/ordering-line.ts). Every key of one line shares the hash tag {workflow:key}.
   */
  orderLast: (workflow: string, orderingKey: string) => `${orderTag(workflow, orderingKey)}:last`,
  /** Hash: job id -> the job before it in the line. */
  orderPrevious: (workflow: string, orderingKey: string) => `${orderTag(workflow, orderingKey)}:prev`,
  /** Hash: job id -> the job after it in the line. */
  orderNext: (workflow: string, orderingKey: string) => `${orderTag(workflow, orderingKey)}:next`,
  /** A user's preference profile (cache of its blob; see analysis/profile-store.ts). */
  profile: (userId: string) => `${KEY_PREFIX}:profile:{${assertKeyPart('userId', userId)}}`,
  /** Places a user visited (set; filled by POST /api/interactions), excluded from their recommendations. */
  visited: (userId: string) => `${KEY_PREFIX}:visited:{${assertKeyPart('userId', userId)}}`,
  /**
   * Present (no TTL) while the visited sets hold what the interaction log says; gone means Redis lost
   * its data (or the sets were never built), and the health check rebuilds them (visited-rebuild.ts).
   */
  visitedRebuilt: `${KEY_PREFIX}:visited:rebuilt`,
  /**
   * Online feedback of one model (src/lib/recommendations/feedback-counters.ts). Every key of a model
   * shares the hash tag {modelName}, so one script counts a served list or a click atomically.
   * served: hash of one served list (variant, version, user, places, clicked/dismissed flags).
   */
  feedbackServed: (modelName: string, recommendationId: string) =>
    `${feedbackTag(modelName)}:served:${assertKeyPart('recommendationId', recommendationId)}`,
  /** Hash of counters of one time bucket: `<variant>:<version>:<impressions|clicks|dismissals>`. */
  feedbackCounts: (modelName: string, bucket: string) =>
    `${feedbackTag(modelName)}:counts:${assertKeyPart('bucket', bucket)}`,
  /** Sorted set of the model's time buckets (score: the bucket's start in ms). */
  feedbackBuckets: (modelName: string) => `${feedbackTag(modelName)}:buckets`,
  /** Sorted set of started, not yet finished jobs the reconciler sweeps (jobs/inflight-jobs.ts). */
  inflightJobs: `${KEY_PREFIX}:jobs:inflight`,
  /** Single-flight lock beside a cached value, in the same slot (same hash tag). */
  computeLock: (cacheKey: string) => `${cacheKey}:lock`,
} as const;

function destinationPart(destination: string): string {
  const encoded = encodeURIComponent(destination);
  return encoded.length <= 96 ? encoded : `sha256-${createHash('sha256').update(destination).digest('hex')}`;
}

function feedbackTag(modelName: string): string {
  return `${KEY_PREFIX}:feedback:{${assertKeyPart('modelName', modelName)}}`;
}

function orderTag(workflow: string, orderingKey: string): string {
  return `${KEY_PREFIX}:order:{${assertKeyPart('workflow', workflow)}:${assertKeyPart('orderingKey', orderingKey)}}`;
}

/** Job channels are these prefixes + the job id (the checkpoint script appends the id itself). */
export const JobChannelPrefixes = {
  status: `${KEY_PREFIX}:job:status:`,
  progress: `${KEY_PREFIX}:job:progress:`,
  complete: `${KEY_PREFIX}:job:complete:`,
  error: `${KEY_PREFIX}:job:error:`,
} as const;

export const Channels = {
  jobStatus: (jobId: string) => JobChannelPrefixes.status + assertJobId(jobId),
  jobProgress: (jobId: string) => JobChannelPrefixes.progress + assertJobId(jobId),
  jobComplete: (jobId: string) => JobChannelPrefixes.complete + assertJobId(jobId),
  jobError: (jobId: string) => JobChannelPrefixes.error + assertJobId(jobId),
  recommendations: (userId: string) => `${KEY_PREFIX}:recommendations:${assertKeyPart('userId', userId)}`,
} as const;

/** The guide's subscription patterns (also stored in Key Vault as the Pub/Sub configuration). */
export const ChannelPatterns = {
  jobStatus: `${KEY_PREFIX}:job:status:*`,
  jobProgress: `${KEY_PREFIX}:job:progress:*`,
  jobComplete: `${KEY_PREFIX}:job:complete:*`,
  jobError: `${KEY_PREFIX}:job:error:*`,
  recommendations: `${KEY_PREFIX}:recommendations:*`,
} as const;

/** Reads the job id back out of a channel name (for pattern subscribers). */
export function jobIdFromChannel(channel: string): string | undefined {
  const match = /^ai:job:(?:status|progress|complete|error):(.+)$/.exec(channel);
  return match?.[1];
}
