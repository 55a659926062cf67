import type Redis from 'ioredis';
import { LuaScript } from '../../../src/lib/redis/lua-script';
import { masterNodes, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

/** Returns its key count, the keys and the arguments, or fails when the first argument says so. */
const ECHO = new LuaScript(`
  if ARGV[1] == 'fail' then return redis.error_reply('ERR asked to fail') end
  return { tostring(#KEYS), KEYS[1], KEYS[2], ARGV[1], ARGV[2] }
`);

describe.each(REDIS_TARGETS)('LuaScript on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let spy: jest.SpyInstance<ReturnType<Redis['sendCommand']>, Parameters<Redis['sendCommand']>>;
  /** The commands sent since the test began (the spy calls through: they really reach Redis). */
  const sent = () => spy.mock.calls.map(([command]) => command);

  beforeAll(async () => {
    redis = await target.connect();
  });
  afterAll(async () => {
    await redis.close();
  });
  beforeEach(async () => {
    // Cached on every master, so that only the test about a forgotten script sees EVAL.
    for (const node of masterNodes(redis.client)) await node.script('LOAD', ECHO.lua);
    spy = jest.spyOn(redis.client as Redis, 'sendCommand');
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  // Both keys share one hash tag, as a cluster script requires.
  const keysOf = (id: string) => [`lua-test:{${id}}:a`, `lua-test:{${id}}:b`];

  it('passes keys and arguments in order and returns the reply', async () => {
    const keys = keysOf(uniqueId('lua'));
    await expect(ECHO.run(redis.client, keys, ['x', 'y'])).resolves.toEqual(['2', ...keys, 'x', 'y']);
    expect(sent().map((command) => command.name)).toEqual(['evalsha']);
  });

  it('lets go of the arguments once the command has settled', async () => {
    const keys = keysOf(uniqueId('lua'));
    await ECHO.run(redis.client, keys, ['x', 'y']);
    expect(sent()).toHaveLength(1);
    expect(sent()[0]!.args).toEqual([]);
  });

  it('falls back to EVAL after the server forgot the script, and lets go of both argument lists', async () => {
    const keys = keysOf(uniqueId('lua'));
    await ECHO.run(redis.client, keys, ['warm', 'up']);
    for (const node of masterNodes(redis.client)) await node.script('FLUSH');
    spy.mockClear();

    await expect(ECHO.run(redis.client, keys, ['x', 'y'])).resolves.toEqual(['2', ...keys, 'x', 'y']);
    expect(sent().map((command) => command.name)).toEqual(['evalsha', 'eval']);
    expect(sent().map((command) => command.args)).toEqual([[], []]);
  });

  it('rejects with the server error, which still names the arguments it was sent with', async () => {
    const keys = keysOf(uniqueId('lua'));
    const failure = await ECHO.run(redis.client, keys, ['fail', 'y']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('asked to fail');
    expect((failure as Error & { command?: { args: string[] } }).command?.args).toEqual(
      expect.arrayContaining([...keys, 'fail', 'y']),
    );
    expect(sent()[0]!.args).toEqual([]);
  });
});
