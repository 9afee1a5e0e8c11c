import { DateNotAnalysedError, NotFoundError, TransientError } from '@tillflow/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as Type from 'typebox/type';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHttpHandler, defineHttpRoutes } from '../src/http';

const lambda = { functionName: 'http-test', awsRequestId: 'r-1' } as Context;

function event(routeKey: string, extra: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return { routeKey, requestContext: { requestId: 'req-1' }, headers: {}, ...extra } as APIGatewayProxyEventV2;
}

const Query = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
  store: Type.Optional(Type.String({ pattern: '^\\d{4}$', description: 'a store id, four digits' })),
  kind: Type.Optional(Type.Enum(['a', 'b'])),
});
const Path = Type.Object({ date: Type.String({ format: 'date', description: 'a calendar date, YYYY-MM-DD' }) });

afterEach(() => vi.unstubAllEnvs());

function echo() {
  return defineHttpHandler(
    { name: 'http-test', config: {}, query: Query, params: Path },
    async (_e, { query, params }) => ({
      statusCode: 200,
      body: { query, params },
    }),
  );
}
const parse = (r: { body?: string }) => JSON.parse(r.body ?? 'null');

describe('defineHttpHandler parameters', () => {
  it('gives the body its query converted to the schema types with defaults, and its path', async () => {
    const res = await echo()(
      event('GET /x/{date}', { queryStringParameters: { store: '0001' }, pathParameters: { date: '2025-10-29' } }),
      lambda,
    );
    expect(res.statusCode).toBe(200);
    expect(parse(res)).toEqual({ query: { store: '0001', days: 30 }, params: { date: '2025-10-29' } });
    const days = await echo()(
      event('GET /x/{date}', { queryStringParameters: { days: '7' }, pathParameters: { date: '2024-02-29' } }),
      lambda,
    );
    expect(parse(days).query.days).toBe(7);
  });

  it.each([
    [{ days: '0' }, 'query parameter days must be >= 1 (got "0")'],
    [{ days: 'seven' }, 'query parameter days must be integer (got "seven")'],
    [{ store: '12' }, 'query parameter store is not a store id, four digits (got "12")'],
    [{ kind: 'c' }, 'query parameter kind must be one of a, b (got "c")'],
    [{ dayz: '3' }, 'unknown query parameter dayz; it takes days, store, kind'],
  ])('refuses %j with a 400 naming the parameter', async (query, message) => {
    const res = await echo()(
      event('GET /x/{date}', { queryStringParameters: query, pathParameters: { date: '2025-10-29' } }),
      lambda,
    );
    expect(res.statusCode).toBe(400);
    expect(parse(res)).toEqual({ error: { code: 'VALIDATION_ERROR', message } });
  });

  it('refuses a path parameter that is not a calendar date', async () => {
    const res = await echo()(event('GET /x/{date}', { pathParameters: { date: '2025-02-29' } }), lambda);
    expect(parse(res).error.message).toBe('path parameter date is not a calendar date, YYYY-MM-DD (got "2025-02-29")');
  });
});

describe('defineHttpHandler errors', () => {
  const failing = (error: unknown) =>
    defineHttpHandler({ name: 'http-test', config: {} }, async () => {
      throw error;
    });

  it('answers a Tillflow error with its status and code, and the details it carries', async () => {
    expect(parse(await failing(new NotFoundError('no such day'))(event('GET /x'), lambda))).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such day' },
    });
    const res = await failing(new DateNotAnalysedError('2025-10-04', ['2025-10-03']))(event('GET /x'), lambda);
    expect(res.statusCode).toBe(404);
    expect(parse(res).error.nearest_dates).toEqual(['2025-10-03']);
  });

  it('never shows an internal message or a stack: a 500 or 503 says only what kind of failure it was', async () => {
    const internal = await failing(new Error('connect ECONNREFUSED 10.0.0.7:443 at Socket.x'))(event('GET /x'), lambda);
    expect(internal.statusCode).toBe(500);
    expect(parse(internal)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
    const transient = await failing(new TransientError('DynamoDB throttled table tillflow-sales'))(
      event('GET /x'),
      lambda,
    );
    expect(transient.statusCode).toBe(503);
    expect(transient.body).not.toContain('tillflow-sales');
  });
});

describe('defineHttpHandler caching and CORS', () => {
  const cached = () =>
    defineHttpHandler({ name: 'http-test', config: {} }, async () => ({
      statusCode: 200,
      body: { a: 1 },
      cacheSeconds: 60,
    }));

  it('gives an unchanging answer an ETag and answers 304 without a body when If-None-Match names it', async () => {
    const first = await cached()(event('GET /x'), lambda);
    const etag = first.headers?.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers?.['cache-control']).toBe('private, max-age=60');
    const again = await cached()(event('GET /x', { headers: { 'if-none-match': `"other", W/${etag}` } }), lambda);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it('answers without a cache for anything else', async () => {
    const res = await echo()(event('GET /x/{date}', { pathParameters: { date: '2025-10-29' } }), lambda);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(res.headers?.etag).toBeUndefined();
  });

  it('adds Access-Control-Allow-Origin for an origin of CORS_ALLOWED_ORIGINS only', async () => {
    vi.stubEnv('CORS_ALLOWED_ORIGINS', 'https://a.example, https://b.example');
    const handler = cached();
    const allowed = await handler(event('GET /x', { headers: { origin: 'https://b.example' } }), lambda);
    expect(allowed.headers?.['access-control-allow-origin']).toBe('https://b.example');
    const other = await handler(event('GET /x', { headers: { origin: 'https://c.example' } }), lambda);
    expect(other.headers?.['access-control-allow-origin']).toBeUndefined();
  });
});

describe('defineHttpRoutes', () => {
  const handler = defineHttpRoutes({ name: 'http-test', config: {} }, (route) => ({
    'GET /a': route({ query: Type.Object({ n: Type.Integer() }) }, async (_e, { query }) => ({
      statusCode: 200,
      body: query.n,
    })),
    'GET /b': route({}, async () => ({ statusCode: 200, body: 'b', headers: { 'content-type': 'text/plain' } })),
  }));

  it('runs the route of the event with its own schema', async () => {
    expect(parse(await handler(event('GET /a', { queryStringParameters: { n: '4' } }), lambda))).toBe(4);
    const b = await handler(event('GET /b'), lambda);
    expect([b.body, b.headers?.['content-type']]).toEqual(['b', 'text/plain']);
    expect((await handler(event('GET /a'), lambda)).statusCode).toBe(400);
  });

  it('answers 404 for a route it does not serve', async () => {
    expect((await handler(event('GET /c'), lambda)).statusCode).toBe(404);
  });
});
