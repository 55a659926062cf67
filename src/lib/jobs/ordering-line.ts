import path from 'node:path';
import type { RedisClient } from '../redis/client-factory';
import { LuaScript } from '../redis/lua-script';
import { assertJobId } from '../redis/key-parts';
import { Keys } from '../redis/keys';

const ENTER = LuaScript.fromFile(path.join(__dirname, 'commands', 'enter-line.lua'));

/**
 * Longer than the longest message time-to-live of any queue (ai-model-training: P7D), so a message
 * that waited its whole life in the queue still finds the job before it.
 */
export const ORDERING_LINE_TTL_SECONDS = 8 * 24 * 3600;

/**
 * The arrival order of jobs that share an ordering key (trip generation: the session or user;
 * analysis: the user; model training: the model). The queue trigger puts each job in line as it
 * accepts its message (session queues deliver one message of a session at a time, so this is arrival
 * order) and hands the predecessor's id to the job's orchestration, which waits for that job to end
 * before doing anything. When a job ends, it wakes the job after it (nextOf).
 *
 * The line is coordination, not data: if Redis loses it, jobs of one key may overlap, but none is
 * lost or run twice (each orchestration is keyed by its job id).
 */
export class OrderingLine {
  constructor(private readonly redis: RedisClient) {}

  /** Enters the job; returns the job before it, or undefined when it is first. Idempotent. */
  async enter(workflow: string, orderingKey: string, jobId: string): Promise<string | undefined> {
    assertJobId(jobId);
    const before = (await ENTER.run(
      this.redis,
      [
        Keys.orderLast(workflow, orderingKey),
        Keys.orderPrevious(workflow, orderingKey),
        Keys.orderNext(workflow, orderingKey),
      ],
      [jobId, String(ORDERING_LINE_TTL_SECONDS)],
    )) as string;
    return before === '' ? undefined : before;
  }

  /** The job that entered the line right after this one, if any yet. */
  async nextOf(workflow: string, orderingKey: string, jobId: string): Promise<string | undefined> {
    return (await this.redis.hget(Keys.orderNext(workflow, orderingKey), jobId)) ?? undefined;
  }

  /** Forgets a finished job's entries (the line's hashes would otherwise grow with every job). */
  async leave(workflow: string, orderingKey: string, jobId: string): Promise<void> {
    await Promise.all([
      this.redis.hdel(Keys.orderPrevious(workflow, orderingKey), jobId),
      this.redis.hdel(Keys.orderNext(workflow, orderingKey), jobId),
    ]);
  }
}
