import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute, toHttpResponse } from '../src/servers/gateway';

describe('matchRoute', () => {
  const routes = compileRoutes({
    'GET /files': 'list-files',
    'GET /files/{key}': 'get-file',
    'GET /files/latest': 'latest-file',
    'ANY /files/{key}': 'any-file',
    'GET /download/{key+}': 'download',
    'POST /uploads': 'generate-upload-url',
  });
  const fn = (method: string, path: string) => matchRoute(routes, method, path)?.route.functionName;

  it('prefers literal segments, then parameters, then the method over ANY', () => {
    expect(fn('GET', '/files/latest')).toBe('latest-file');
    expect(fn('GET', '/files/abc')).toBe('get-file');
    expect(fn('DELETE', '/files/abc')).toBe('any-file');
    expect(fn('GET', '/files')).toBe('list-files');
    expect(fn('GET', '/files/')).toBe('list-files');
  });

  it('decodes parameters and lets a greedy one take the rest of the path', () => {
    expect(matchRoute(routes, 'GET', '/files/a%2Fb')?.pathParameters).toEqual({ key: 'a/b' });
    expect(matchRoute(routes, 'GET', '/download/processed/sales/x.parquet')?.pathParameters).toEqual({
      key: 'processed/sales/x.parquet',
    });
    expect(fn('GET', '/download')).toBeUndefined();
  });

  it('matches nothing for another method or a longer path', () => {
    expect(fn('GET', '/uploads')).toBeUndefined();
    expect(fn('GET', '/files/a/b')).toBeUndefined();
  });

  it('refuses a malformed route key', () => {
    expect(() => compileRoutes({ 'FETCH /x': 'f' })).toThrow(/expected "<METHOD> \/path"/);
  });
});

describe('toHttpResponse', () => {
  it('uses statusCode, lower-cased headers, cookies and base64 bodies', () => {
    const response = toHttpResponse({
      statusCode: 302,
      headers: { Location: '/x', 'X-Count': 3 },
      cookies: ['a=1', 'b=2'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.status).toBe(302);
    expect(response.headers).toEqual({ location: '/x', 'x-count': '3', 'set-cookie': ['a=1', 'b=2'] });
    expect([...response.body]).toEqual([1, 2, 3]);
  });

  it('answers 200 JSON for a result without statusCode, as API Gateway infers it', () => {
    const response = toHttpResponse({ ok: true });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.toString()).toBe('{"ok":true}');
  });
});
