import { HttpRequest } from '@azure/functions';
import { endOpenEventStreams, openEventStreamCount } from '../../../src/lib/api/event-stream';
import { streamJobEvents, type JobsApiDeps } from '../../../src/lib/api/jobs-api';
import type { AppServices } from '../../../src/lib/app-services';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import { ChannelHub } from '../../../src/lib/redis/channel-hub';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

/**
 * GET /api/jobs/{jobId}/events as other services and browsers read it: every event a frame of exactly
 * `id:`, `event:` and `data:` lines, keep-alive comments while the job is quiet, resumption after a
 * Last-Event-ID, and 400 for a malformed one. The handler runs on real Redis (the rig's standalone).
 */
const HEARTBEAT_MS = 40;

describe('job events over Server-Sent Events', () => {
  let redis: ManagedRedisClient;
  let subscriber: ManagedRedisClient;
  let store: JobStateStore;
  let hub: ChannelHub;
  let deps: JobsApiDeps;

  beforeAll(async () => {
    const standalone = REDIS_TARGETS.find((t) => t.name === 'standalone')!;
    [redis, subscriber] = await Promise.all([standalone.connect(), standalone.connect()]);
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
    hub = new ChannelHub(subscriber.client);
    // Only the two adapters the events route uses, both real; authentication off (every caller admin),
    // as on `npm run dev` (ownership has its own tests).
    const services = {
      jobStore: async () => store,
      channelHub: async () => hub,
      settings: { auth: { enabled: false, adminRole: 'TripGen.Admin' } },
    } as unknown as AppServices;
    deps = {
      services,
      newJobId: () => uniqueId('job'),
      heartbeatMs: HEARTBEAT_MS,
    };
  });
  afterAll(async () => {
    hub.detach();
    await Promise.all([redis.close(), subscriber.close()]);
  });

  const get = (jobId: string, headers: Record<string, string> = {}, query = '') =>
    streamJobEvents(
      new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/jobs/${jobId}/events${query}`,
        headers,
        params: { jobId },
      }),
      deps,
    );

  /** Reads the body as text chunks until `until` holds or the stream ends. */
  async function read(body: ReadableStream<Uint8Array>, until: (text: string) => boolean = () => false) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text, ended: true };
      text += decoder.decode(value);
      if (until(text)) {
        await reader.cancel();
        return { text, ended: false };
      }
    }
  }

  async function finishedJob() {
    const jobId = uniqueId('sse');
    await store.checkpoint(jobId, { userId: 'u-1', jobType: 'trip-generation', status: 'queued', seq: 0 });
    await store.checkpoint(jobId, { status: 'processing', progress: 40, step: 'planning_days', seq: 1 });
    await store.checkpoint(jobId, { status: 'completed', step: 'completed', seq: 2 });
    return jobId;
  }

  it('sends each event as one frame of exactly id:, event: and data: lines, then ends', async () => {
    const jobId = await finishedJob();
    const response = await get(jobId);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'text/event-stream' });
    const { text, ended } = await read(response.body as ReadableStream<Uint8Array>);
    expect(ended).toBe(true);
    // First the reconnection delay (the stream's life is bounded: event-stream.ts), then the events.
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);
    const frames = text.split('\n\n').filter((f) => f && !f.startsWith(':') && !f.startsWith('retry: '));
    const events = await store.readEvents(jobId);
    expect(frames).toHaveLength(3);
    frames.forEach((frame, i) => {
      const lines = frame.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toBe(`id: ${events[i]!.id}`);
      expect(lines[1]).toBe(`event: ${events[i]!.message.eventType}`);
      expect(lines[2]).toBe(`data: ${JSON.stringify(events[i]!.message)}`);
    });
    expect(frames.map((f) => f.split('\n')[1])).toEqual([
      'event: job_status_update',
      'event: job_status_update',
      'event: job_completed',
    ]);
  });

  it('sends keep-alive comments while the job is quiet, then its live events', async () => {
    const jobId = uniqueId('sse-live');
    await store.checkpoint(jobId, {
      userId: 'u-1',
      jobType: 'trip-generation',
      status: 'processing',
      seq: 1,
    });
    const response = await get(jobId);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended early: ${text}`);
        text += decoder.decode(chunk.value);
      }
    };
    // The history, then two keep-alives (a comment line and a blank line each) while nothing happens.
    await readUntil(() => text.split(': keep-alive\n\n').length > 2);
    expect(text.startsWith('retry: 1000\n\nid: ')).toBe(true);
    await store.checkpoint(jobId, { status: 'completed', step: 'completed', seq: 2 });
    await readUntil(() => text.includes('event: job_completed'));
    // The stream ends after the terminal event; a keep-alive already on its way may come first.
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      const rest = decoder.decode(chunk.value);
      expect(rest.replaceAll(': keep-alive\n\n', '')).toBe('');
      text += rest;
    }
    const blocks = text
      .split('\n\n')
      .filter(Boolean)
      .filter((b) => !b.startsWith('retry: '));
    expect(blocks.filter((b) => b === ': keep-alive').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b !== ': keep-alive').map((b) => b.split('\n')[1])).toEqual([
      'event: job_status_update',
      'event: job_completed',
    ]);
  });

  it("ends a quiet job's stream when its lifetime is over, and the client's reconnection with Last-Event-ID goes on where it ended", async () => {
    const jobId = uniqueId('sse-lifetime');
    await store.checkpoint(jobId, { userId: 'u-1', jobType: 'trip-generation', status: 'queued', seq: 0 });
    await store.checkpoint(jobId, { status: 'processing', progress: 10, step: 'planning_days', seq: 1 });
    const bounded = { ...deps, maxStreamMs: 150 };
    const request = (headers: Record<string, string> = {}) =>
      new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/jobs/${jobId}/events`,
        headers,
        params: { jobId },
      });
    const first = await read((await streamJobEvents(request(), bounded)).body as ReadableStream<Uint8Array>);
    expect(first.ended).toBe(true); // ended by its lifetime: the job is still running
    expect(openEventStreamCount()).toBe(0);
    const lastId = first.text
      .split('\n\n')
      .filter((f) => f.startsWith('id: '))
      .at(-1)!
      .slice('id: '.length)
      .split('\n')[0]!;
    const again = (await streamJobEvents(request({ 'Last-Event-ID': lastId }), bounded))
      .body as ReadableStream<Uint8Array>;
    await store.checkpoint(jobId, { status: 'completed', step: 'completed', seq: 2 });
    const second = await read(again);
    expect(
      second.text
        .split('\n\n')
        .filter((f) => f.startsWith('id: '))
        .map((f) => f.split('\n')[1]),
    ).toEqual(['event: job_completed']);
  });

  it('lets go of a stream at once when its reader cancels, and ends every open stream at app shutdown', async () => {
    const quiet = async () => {
      const jobId = uniqueId('sse-open');
      await store.checkpoint(jobId, { userId: 'u-1', jobType: 'trip-generation', status: 'queued', seq: 0 });
      return (await get(jobId)).body as ReadableStream<Uint8Array>;
    };
    const cancelled = await quiet();
    await read(cancelled, (text) => text.includes('id: '));
    expect(openEventStreamCount()).toBe(0);
    const streams = [await quiet(), await quiet()];
    expect(openEventStreamCount()).toBe(2);
    endOpenEventStreams();
    const results = await Promise.all(streams.map((s) => read(s)));
    expect(results.map((r) => r.ended)).toEqual([true, true]);
    expect(openEventStreamCount()).toBe(0);
  });

  it('resumes after Last-Event-ID with exactly the later events', async () => {
    const jobId = await finishedJob();
    const events = await store.readEvents(jobId);
    const response = await get(jobId, { 'Last-Event-ID': events[0]!.id });
    const { text } = await read(response.body as ReadableStream<Uint8Array>);
    const ids = text
      .split('\n\n')
      .filter((f) => f.startsWith('id: '))
      .map((f) => f.split('\n')[0]);
    expect(ids).toEqual([`id: ${events[1]!.id}`, `id: ${events[2]!.id}`]);
  });

  it.each([
    ['a word', { 'Last-Event-ID': 'latest' }, ''],
    ['a bare number', { 'Last-Event-ID': '1700000000000' }, ''],
    ['a trailing part', { 'Last-Event-ID': '1700000000000-0-1' }, ''],
    ['a malformed query parameter', {}, '?lastEventId=abc'],
  ])('answers 400 naming Last-Event-ID for %s', async (_, headers, query) => {
    const jobId = await finishedJob();
    const response = await get(jobId, headers, query);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.jsonBody ?? response.body)).toContain('Last-Event-ID');
  });
});
