import { HttpRequest } from '@azure/functions';
import { contentTypeProblem, readJsonBody } from '../../../src/lib/api/json-body';
import { findJsonSyntaxError } from '../../../src/lib/api/json-syntax';

const post = (body: string, contentType?: string) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/jobs/trip-generation',
    body: { string: body },
    headers: contentType ? { 'content-type': contentType } : {},
  });

describe('readJsonBody', () => {
  it('reads a JSON object sent as application/json, with or without charset=utf-8', async () => {
    for (const type of [
      'application/json',
      'Application/JSON; charset=UTF-8',
      'application/json;charset="utf-8"',
    ]) {
      expect(await readJsonBody(post('{"a":1}', type))).toEqual({ ok: true, value: { a: 1 } });
    }
  });

  it.each([
    ['text/plain', '{"a":1}'],
    ['application/xml', '<a>1</a>'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['multipart/form-data; boundary=x', '--x'],
    [undefined, '{"a":1}'],
  ])('answers 415 naming application/json for Content-Type %s', async (type, body) => {
    const result = await readJsonBody(post(body, type));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(415);
    expect(result.response.jsonBody).toMatchObject({
      error: 'UnsupportedMediaType',
      accepted: ['application/json'],
      message: expect.stringContaining('application/json'),
    });
  });

  it('refuses a charset other than utf-8 with 415', () => {
    expect(contentTypeProblem('application/json; charset=latin1')).toContain('charset "latin1"');
  });

  it('answers 400 naming line, column and offset of malformed JSON', async () => {
    const result = await readJsonBody(post('{\n  "tripId": "t1",\n  "days": }', 'application/json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(400);
    expect(result.response.jsonBody).toEqual({
      error: 'MalformedJson',
      message: expect.stringContaining('line 3, column 11 (offset 30)'),
      position: { offset: 30, line: 3, column: 11 },
    });
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('answers 400 for %s where an object is required', async (body, what) => {
    const result = await readJsonBody(post(body, 'application/json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(400);
    expect(JSON.stringify(result.response.jsonBody)).toContain(`must be a JSON object, not ${what}`);
  });

  it('answers 400 for an empty body', async () => {
    const result = await readJsonBody(post('', 'application/json'));
    expect(!result.ok && result.response.status).toBe(400);
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a":}', 5, 'a value'],
    ['{"a":1,}', 7, 'property name'],
    ['{"a" 1}', 5, "':'"],
    ['{"a":1', 6, "',' or '}'"],
    ['{"a":"x\ny"}', 7, 'control character'],
    ['[1,2]x', 5, 'the end of the text'],
    ['{"a":tru}', 8, '"true"'],
    ['{"a":"\\q"}', 7, 'escape'],
    ['{"a":01}', 6, "',' or '}'"],
    ['{"a":-}', 6, 'a digit'],
  ])('%j breaks at offset %i (%s)', (text, offset, expected) => {
    expect(() => JSON.parse(text)).toThrow();
    const found = findJsonSyntaxError(text);
    expect(found?.offset).toBe(offset);
    expect(found?.message).toContain(expected);
  });

  it('finds nothing wrong in JSON that JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' {"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"]} ', '0', '"x"']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });
});
