import { HttpRequest, InvocationContext } from '@azure/functions';
import { withErrorResponses } from '../../../src/lib/api/error-response';

const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/jobs/trip-generation?x=1' });

function contextWithLog(lines: string[]) {
  return new InvocationContext({ logHandler: (level, ...args) => lines.push(`${level}: ${args.join(' ')}`) });
}

describe('withErrorResponses', () => {
  it('passes a response through untouched', async () => {
    const handler = withErrorResponses(async () => ({ status: 202, jsonBody: { ok: true } }));
    expect(await handler(request, contextWithLog([]))).toEqual({ status: 202, jsonBody: { ok: true } });
  });

  it('answers 500 with an error id and never the internal text, which goes to the log with the id', async () => {
    const lines: string[] = [];
    const handler = withErrorResponses(
      async () => {
        throw new Error('ERR wrong number of arguments for HSET (secret detail)');
      },
      { newErrorId: () => 'e-42' },
    );
    const response = await handler(request, contextWithLog(lines));
    expect(response.status).toBe(500);
    expect(response.jsonBody).toEqual({
      error: 'InternalError',
      message: expect.stringContaining('e-42'),
      errorId: 'e-42',
    });
    expect(JSON.stringify(response)).not.toContain('secret detail');
    expect(lines.join('\n')).toMatch(
      /^error: \[e-42\] POST \/api\/jobs\/trip-generation: Error: ERR wrong.*secret detail/m,
    );
  });

  it('normalises throwables that are not Errors', async () => {
    const lines: string[] = [];
    const handler = withErrorResponses(() => Promise.reject('a string'));
    const response = await handler(request, contextWithLog(lines));
    expect(response.status).toBe(500);
    expect((response.jsonBody as { errorId: string }).errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.join('\n')).toContain('a string');
  });

  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    new Error('Command timed out'),
    Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' }),
    Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }),
  ])('answers 503 with Retry-After when Redis is unavailable (%s)', async (error) => {
    const handler = withErrorResponses(() => Promise.reject(error), { retryAfterSeconds: 3 });
    const response = await handler(request, contextWithLog([]));
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '3' });
    expect(JSON.stringify(response.jsonBody)).not.toContain(error.message);
  });
});

describe('every HTTP function of the app', () => {
  it('answers through withErrorResponses, so no handler can leak internal text in a 500', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const path = jest.requireActual<typeof import('node:path')>('node:path');
    const dir = path.resolve(__dirname, '../../../src/functions');
    const unwrapped: string[] = [];
    let registrations = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const match of source.matchAll(/app\.http\('([^']+)',\s*\{([^]*?)\n\}\);/g)) {
        registrations += 1;
        if (!/handler:\s*withErrorResponses\(/.test(match[2]!)) unwrapped.push(`${file}: ${match[1]}`);
      }
    }
    expect(registrations).toBeGreaterThanOrEqual(7);
    expect(unwrapped).toEqual([]);
  });
});
