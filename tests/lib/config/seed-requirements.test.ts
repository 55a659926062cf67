/** The config and key builders against the Redis guide's values in requirements/seed-requirements.json. */
import requirements from '../../../requirements/seed-requirements.json';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import { ChannelPatterns, Keys } from '../../../src/lib/redis/keys';

const guide = requirements.redis;

describe('Redis guide requirements', () => {
  it('TTL defaults are the guide’s (progress lives as long as its status)', () => {
    const { source: _source, ...ttls } = guide.ttlSeconds;
    // The profile TTL is the project's own (the guide has no profile key; see ttl-defaults.ts).
    const { profile: _profile, ...fromGuide } = TTL_DEFAULT_SECONDS;
    expect(fromGuide).toEqual({ ...ttls, jobProgress: ttls.jobStatus });
  });

  it('channel patterns are exactly the guide’s', () => {
    const { source: _source, ...channels } = guide.channels;
    expect(ChannelPatterns).toEqual(channels);
  });

  it('keys follow the guide’s patterns, with the id as the cluster hash tag', () => {
    const fill = (pattern: string) =>
      pattern
        .replace('{job_id}', '{j1}')
        .replace('{trip_id}', '{t1}')
        .replace('{user_id}', '{u1}')
        .replace('{type}', 'hotel');
    expect([
      Keys.jobStatus('j1'),
      Keys.jobProgress('j1'),
      Keys.schedule('t1'),
      Keys.recommendation('u1', 'hotel'),
    ]).toEqual([
      fill(guide.keys.jobStatus),
      fill(guide.keys.jobProgress),
      fill(guide.keys.schedule),
      fill(guide.keys.recommendation),
    ]);
  });
});
