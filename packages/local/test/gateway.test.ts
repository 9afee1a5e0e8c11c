import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LambdaRuntime } from '../src/runtime/lambda-runtime';
import { compileRoutes, gatewayListener, matchRoute, toHttpResponse } from '../src/servers/gateway';

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

describe("the gateway's own routes", () => {
  it('answers a local route as JSON behind the API key, and a failing one with a 500 naming the error', async () => {
    const listener = gatewayListener({
      routes: {},
      // No function route is asked for: the runtime is never used.
      runtime: {} as LambdaRuntime,
      apiKey: 'secret',
      localRoutes: {
        'GET /local/mail': async () => ({ messages: [{ subject: 'hi' }] }),
        'GET /local/broken': async () => {
          throw new Error('the state folder is gone');
        },
      },
    });
    const server = createServer(listener).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const keyed = { headers: { 'x-api-key': 'secret' } };
      const ok = await fetch(`${base}/local/mail`, keyed);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/json');
      expect(await ok.json()).toEqual({ messages: [{ subject: 'hi' }] });
      expect((await fetch(`${base}/local/mail`)).status).toBe(401);
      expect((await fetch(`${base}/local/mail`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
      const broken = await fetch(`${base}/local/broken`, keyed);
      expect(broken.status).toBe(500);
      expect(await broken.json()).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'the state folder is gone' },
      });
      // Only GET: another method is no route.
      expect((await fetch(`${base}/local/mail`, { method: 'POST', ...keyed })).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
