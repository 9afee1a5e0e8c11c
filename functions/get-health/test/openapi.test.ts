import { PutObjectCommand } from '@aws-sdk/client-s3';
import { API_ROUTE_SPECS } from '@tillflow/core';
import { type Platform, startTestPlatform, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMarketplaceLines, serializeMarketplaceReport } from '../../../scripts/marketplace-data';

/**
 * Every route's real answers, good and bad, validated against the OpenAPI document the API serves: the document is
 * generated from the schemas the handlers check their parameters with, and this test holds the responses to it too.
 * Objects are validated closed (no property the document does not declare), so an undocumented field fails here.
 */

const DATE = '2025-10-01';
const REJECTED = `rejected/date=${DATE}/store=0002/store_0002_${DATE}.rejected.json`;

type Json = Record<string, unknown>;
let platform: Platform;
let document: Json;

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001', '0002'] });
  const api = platform.endpoints.api;
  const lines = [
    { transaction: 1, sku: 'SKU-A', quantity: 2, unitPrice: 4.5 },
    { transaction: 2, sku: 'SKU-B', quantity: 1, unitPrice: 3, payment: 'debit' as const },
  ];
  for (const date of ['2025-09-30', DATE]) {
    await uploadThroughApi(api, `store_0001_${date}.json`, testStoreFile('0001', date, lines));
    await uploadThroughApi(
      api,
      `store_0002_${date}.json`,
      testStoreFile('0002', date, lines, date === DATE ? [1] : []),
    );
  }
  await platform
    .s3Client()
    .send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'quicksight/manual.json', Body: '{}' }));
  // A marketplace report, for GET /analytics/marketplace.
  const report = serializeMarketplaceReport(
    generateMarketplaceLines({ orders: 40, start: DATE, days: 3, seed: 1, badLines: 1 }),
  );
  await platform
    .s3Client()
    .send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'uploads/marketplace/amazon/t.csv', Body: report }));
  await platform.waitForIdle();
  document = (await (await fetch(`${api}/openapi.json`)).json()) as Json;
}, 240_000);
afterAll(() => platform?.stop());

/** A copy of a schema whose objects with declared properties admit no others. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = {};
  for (const [k, v] of Object.entries(schema)) copy[k] = k === 'properties' ? mapValues(v as Json) : closed(v);
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}
const mapValues = (o: Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, closed(v)]));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

/** What an exercised request is: its route as the document names it, and the request. */
interface Exchange {
  route: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
}

const EXCHANGES: Exchange[] = [
  {
    route: 'POST /uploads',
    path: '/uploads',
    method: 'POST',
    body: { filename: `store_0003_${DATE}.json` },
    status: 200,
  },
  { route: 'POST /uploads', path: '/uploads', method: 'POST', body: { filename: 'nope' }, status: 400 },
  { route: 'GET /analytics', path: `/analytics?date=${DATE}`, status: 200 },
  { route: 'GET /analytics', path: '/analytics', status: 200 },
  { route: 'GET /analytics', path: '/analytics?date=2025-11-01', status: 404 },
  { route: 'GET /analytics', path: '/analytics?date=x', status: 400 },
  { route: 'GET /trends', path: '/trends?store=0001&days=14', status: 200 },
  { route: 'GET /trends', path: '/trends?days=0', status: 400 },
  { route: 'GET /stores', path: '/stores', status: 200 },
  { route: 'GET /dates', path: '/dates', status: 200 },
  { route: 'GET /files', path: '/files?prefix=uploads&limit=2', status: 200 },
  { route: 'GET /files', path: '/files?prefix=processed', status: 200 },
  { route: 'GET /files', path: '/files?prefix=rejected', status: 200 },
  { route: 'GET /files', path: '/files?prefix=nowhere', status: 400 },
  { route: 'GET /files/rejections', path: `/files/rejections?key=${REJECTED}`, status: 200 },
  { route: 'GET /files/rejections', path: '/files/rejections?key=rejected/none.rejected.json', status: 404 },
  { route: 'GET /files/rejections', path: '/files/rejections?key=../x', status: 400 },
  { route: 'GET /download-url', path: '/download-url?key=quicksight/manual.json', status: 200 },
  { route: 'GET /download-url', path: '/download-url?key=quicksight/none.json', status: 404 },
  { route: 'GET /download-url', path: '/download-url?key=uploads/x.json', status: 400 },
  { route: 'GET /reports/{date}', path: `/reports/${DATE}`, status: 200 },
  { route: 'GET /reports/{date}', path: `/reports/${DATE}?format=text`, status: 200 },
  { route: 'GET /reports/{date}', path: `/reports/${DATE}?format=html`, status: 200 },
  { route: 'GET /reports/{date}', path: '/reports/2025-11-01', status: 404 },
  { route: 'GET /reports/{date}', path: '/reports/2025-02-30', status: 400 },
  { route: 'GET /quality', path: `/quality?date=${DATE}`, status: 200 },
  { route: 'GET /quality', path: '/quality?date=2025-11-01', status: 404 },
  { route: 'GET /quality', path: '/quality?date=2025-02-30', status: 400 },
  { route: 'GET /analytics/marketplace', path: '/analytics/marketplace?report=amazon/t', status: 200 },
  { route: 'GET /analytics/marketplace', path: '/analytics/marketplace?report=amazon/none', status: 404 },
  { route: 'GET /analytics/marketplace', path: '/analytics/marketplace?report=t', status: 400 },
  { route: 'GET /analytics/marketplace/reports', path: '/analytics/marketplace/reports', status: 200 },
  { route: 'GET /analytics/marketplace/reports', path: '/analytics/marketplace/reports?channel=Amazon', status: 400 },
  {
    route: 'POST /analytics/jobs',
    path: '/analytics/jobs',
    method: 'POST',
    body: { operation: 'store_ranking', parameters: { from: DATE, to: DATE, metric: 'net_sales' } },
    status: 202,
  },
  { route: 'POST /analytics/jobs', path: '/analytics/jobs', method: 'POST', body: { operation: 'x' }, status: 400 },
  {
    route: 'GET /analytics/jobs/{id}',
    path: '/analytics/jobs/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
    status: 404,
  },
  { route: 'GET /analytics/jobs/{id}', path: '/analytics/jobs/x', status: 400 },
  {
    route: 'GET /analytics/query',
    path: `/analytics/query?operation=hourly_profile&from=${DATE}&to=${DATE}`,
    status: 200,
  },
  { route: 'GET /analytics/query', path: '/analytics/query?operation=drop_table', status: 400 },
  { route: 'GET /health', path: '/health', status: 200 },
  { route: 'GET /openapi.json', path: '/openapi.json', status: 200 },
];

function responseSpec(route: string, status: number): Json | undefined {
  const [method, path] = route.split(' ') as [string, string];
  const operation = ((document.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  return (operation?.responses as Json | undefined)?.[String(status)] as Json | undefined;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every route of the API, each answer of each route described', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: platform.endpoints.api }]);
    const paths = document.paths as Record<string, Json>;
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(API_ROUTE_SPECS.map((r) => `${r.method} ${r.path}`).sort());
    for (const [path, ops] of Object.entries(paths))
      for (const [method, op] of Object.entries(ops)) {
        const responses = (op as Json).responses as Json;
        expect(Object.keys(responses).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const response of Object.values(responses)) {
          const schema = ((response as Json).content as Json | undefined)?.['application/json'] as Json | undefined;
          if (schema) expect(() => ajv.compile(schema.schema as Json), `${method} ${path}`).not.toThrow();
        }
      }
    // Every route is exercised below, with a success and a refusal where the route can refuse.
    const exercised = new Set(EXCHANGES.map((e) => e.route));
    expect([...exercised].sort()).toEqual(documented.sort());
  });

  it('leaves only /health open: every other route declares the API security', () => {
    const paths = document.paths as Record<string, Json>;
    expect(document.security).toEqual([{ jwt: [] }, { apiKey: [] }]);
    for (const [path, ops] of Object.entries(paths))
      for (const op of Object.values(ops))
        expect((op as Json).security, path).toEqual(path === '/health' ? [] : undefined);
  });
});

describe("every route's real answers", () => {
  it.each(EXCHANGES)('$route $path answers $status as the document says', async (exchange) => {
    const res = await fetch(`${platform.endpoints.api}${exchange.path}`, {
      method: exchange.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...exchange.headers },
      ...(exchange.body ? { body: JSON.stringify(exchange.body) } : {}),
    });
    expect(res.status).toBe(exchange.status);
    const spec = responseSpec(exchange.route, res.status);
    expect(spec, `the document describes ${res.status} of ${exchange.route}`).toBeDefined();
    const type = (res.headers.get('content-type') ?? '').split(';')[0] as string;
    const media = (spec?.content as Json | undefined)?.[type] as Json | undefined;
    expect(media, `${exchange.route} ${res.status} declares ${type}`).toBeDefined();
    const body = type === 'application/json' ? await res.json() : await res.text();
    const validate = ajv.compile(closed(media?.schema) as Json);
    expect(validate(body) ? [] : validate.errors, `${exchange.path}`).toEqual([]);
  });

  it('answers 304 with no body for an unchanged analysed day, as the document says', async () => {
    const first = await fetch(`${platform.endpoints.api}/analytics?date=${DATE}`);
    const etag = first.headers.get('etag') as string;
    const res = await fetch(`${platform.endpoints.api}/analytics?date=${DATE}`, { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(responseSpec('GET /analytics', 304)).toBeDefined();
  });
});
