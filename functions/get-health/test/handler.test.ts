import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { ApiError, HealthResponse } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

const KEY = 'a-local-api-key';
const ORIGIN = 'https://dashboard.example.com';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001'], apiKey: KEY, corsOrigins: [ORIGIN] });
}, 120_000);
afterAll(() => platform?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.endpoints.api}${path}`, { headers });

describe('GET /health', () => {
  it('answers 200 with each dependency reachable and the version, without the API key', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthResponse;
    expect(body.status).toBe('ok');
    expect(body.version).toBe(pkg.version);
    expect(body.checks.bucket).toMatchObject({ ok: true, problem: null });
    expect(body.checks.sales_table).toMatchObject({ ok: true, problem: null });
    expect(body.checks.bucket.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('refuses a parameter it does not take', async () => {
    const res = await get('/health?verbose=1');
    expect(res.status).toBe(400);
  });
});

describe('the API key and CORS of the local gateway', () => {
  it('answers 401 in the error shape without the key or with a wrong one, and serves the route with it', async () => {
    const missing = await get('/openapi.json');
    expect(missing.status).toBe(401);
    expect((await missing.json()) as ApiError).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'this API needs the x-api-key header' },
    });
    const wrong = await get('/openapi.json', { 'x-api-key': 'not-it' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ApiError).error.message).toBe('the API key is not valid');
    const right = await get('/openapi.json', { 'x-api-key': KEY });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('answers the configured origin with CORS headers, and another origin without', async () => {
    const allowed = await get('/health', { origin: ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const other = await get('/health', { origin: 'https://elsewhere.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${platform.endpoints.api}/analytics`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-api-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('x-api-key');
  });

  // Last: it takes the table away.
  it('answers 503 naming the dependency that does not answer, and nothing internal', async () => {
    await platform.dynamoClient().send(new DeleteTableCommand({ TableName: platform.tables.sales }));
    const res = await get('/health');
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthResponse;
    expect(body.status).toBe('degraded');
    expect(body.checks.bucket.ok).toBe(true);
    expect(body.checks.sales_table).toMatchObject({ ok: false, problem: 'missing' });
  });
});
