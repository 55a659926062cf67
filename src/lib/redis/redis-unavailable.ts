/**
 * Whether an error means "Redis cannot be reached or cannot answer right now" (so the caller should
 * come back later: HTTP 503 with Retry-After) rather than a defect. ioredis reports these as plain
 * Errors with fixed texts, socket errors with a code, or server replies with a fixed prefix; they are
 * recognised here once, so no handler matches on error text.
 */
const CLIENT_TEXTS = [
  'Command timed out',
  'Connection is closed.',
  "Stream isn't writeable",
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Cluster is disconnected.',
  'Node is disconnected',
  'Too many Cluster redirections',
  "Cluster isn't ready",
  'Reached the max retries per request limit',
];

/** Socket errors while connecting or talking to a node. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** Server replies that say "not now": loading a dataset after restart, a failover, a busy script. */
const REPLY_PREFIXES = ['LOADING ', 'CLUSTERDOWN ', 'TRYAGAIN ', 'MASTERDOWN ', 'BUSY ', 'READONLY '];

export function isRedisUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const { message, name } = error;
  const code = (error as { code?: unknown }).code;
  if (name === 'MaxRetriesPerRequestError' || name === 'ClusterAllFailedError') return true;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  if (CLIENT_TEXTS.some((text) => message.startsWith(text))) return true;
  if (name === 'ReplyError' && REPLY_PREFIXES.some((prefix) => message.startsWith(prefix))) return true;
  const nested = [
    (error as { cause?: unknown }).cause,
    (error as { lastNodeError?: unknown }).lastNodeError,
    ...((error as { errors?: unknown[] }).errors ?? []),
  ];
  return nested.some((inner) => isRedisUnavailable(inner, depth + 1));
}
