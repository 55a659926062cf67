import Redis from 'ioredis';
import { ChannelPatterns, Channels, Keys, jobIdFromChannel } from '../../../src/lib/redis/keys';
import { rigClusterNodes } from '../../rig/rig-env';

describe('keys and channels', () => {
  it('follows the guide patterns with the id as a hash tag', () => {
    expect(Keys.jobStatus('job_1')).toBe('ai:job:status:{job_1}');
    expect(Keys.jobProgress('job_1')).toBe('ai:job:progress:{job_1}');
    expect(Keys.jobEvents('job_1')).toBe('ai:job:events:{job_1}');
    expect(Keys.schedule('trip-9')).toBe('ai:schedule:{trip-9}');
    expect(Keys.recommendation('user_789', 'places')).toBe('ai:recommendation:{user_789}:places');
    expect(Keys.profile('user@example.com')).toBe('ai:profile:{user@example.com}');
  });

  it('uses exactly the guide channel names and patterns', () => {
    expect(Channels.jobStatus('job_1')).toBe('ai:job:status:job_1');
    expect(Channels.jobProgress('job_1')).toBe('ai:job:progress:job_1');
    expect(Channels.jobComplete('job_1')).toBe('ai:job:complete:job_1');
    expect(Channels.jobError('job_1')).toBe('ai:job:error:job_1');
    expect(Channels.recommendations('user_789')).toBe('ai:recommendations:user_789');
    expect(Object.values(ChannelPatterns)).toEqual([
      'ai:job:status:*',
      'ai:job:progress:*',
      'ai:job:complete:*',
      'ai:job:error:*',
      'ai:recommendations:*',
    ]);
    expect(jobIdFromChannel('ai:job:complete:job:1.a')).toBe('job:1.a');
  });

  it('puts every key of one job in one cluster slot (asked of a real server)', async () => {
    const node = rigClusterNodes()[0]!;
    const redis = new Redis(node.port, node.host);
    try {
      const jobId = 'job:2026.11-abc_Z';
      const slots = await Promise.all(
        [Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId)].map((key) =>
          redis.call('CLUSTER', 'KEYSLOT', key),
        ),
      );
      expect(new Set(slots).size).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses ids that would break a key', () => {
    expect(() => Keys.jobStatus('a{b}')).toThrow(/jobId/);
    expect(() => Keys.schedule('trip 1')).toThrow(/tripId/);
    expect(() => Keys.recommendation('u', '')).toThrow(/type/);
  });
});
