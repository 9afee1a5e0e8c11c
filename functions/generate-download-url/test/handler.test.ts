import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ApiError, DownloadUrlResponse } from '@tillflow/core';
import { type Platform, startTestPlatform, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROCESSED = 'processed/sales/date=2025-10-01/store=0001/store_0001_2025-10-01.parquet';
const REPORT = 'reports/date=2025-10-01/report.txt';

let platform: Platform;
const ask = (query: string) => fetch(`${platform.endpoints.api}/download-url${query}`);

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001', '0002'] });
  const lines = [{ transaction: 1, sku: 'SKU-A', quantity: 2, unitPrice: 4.5 }];
  await uploadThroughApi(
    platform.endpoints.api,
    'store_0001_2025-10-01.json',
    testStoreFile('0001', '2025-10-01', lines),
  );
  await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: REPORT, Body: 'the report' }));
  await platform.waitForIdle();
}, 120_000);
afterAll(() => platform?.stop());

async function s3Bytes(key: string): Promise<Uint8Array> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
}

describe('GET /download-url', () => {
  it.each([PROCESSED, REPORT])('presigns a 15-minute GET of exactly %s, which downloads its bytes', async (key) => {
    const res = await ask(`?key=${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as DownloadUrlResponse;
    expect(body.key).toBe(key);
    expect(body.expires_in).toBe(900);
    const url = new URL(body.url);
    expect(decodeURIComponent(url.pathname)).toBe(`/${platform.bucket}/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    const download = await fetch(body.url);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(await s3Bytes(key));
  });

  it('signs only its key: the same signature on another key is refused', async () => {
    const body = (await (await ask(`?key=${encodeURIComponent(PROCESSED)}`)).json()) as DownloadUrlResponse;
    const other = body.url.replace('store_0001_2025-10-01.parquet', 'store_0002_2025-10-01.parquet');
    expect((await fetch(other)).status).toBe(403);
  });

  it.each([
    ['no key', '', /query parameter key is required/],
    [
      'a raw upload',
      '?key=uploads/store_0001_2025-10-01.json',
      /key must name an object under processed\/, rejected\//,
    ],
    ['an analysis file', '?key=analysis/date=2025-10-01/revision=1/facts.json', /key must name an object under/],
    ['a folder itself', '?key=reports/', /key must name an object under/],
    ['a climb out of a folder', '?key=processed/../uploads/store_0001_2025-10-01.json', /"\.\."/],
    ['an encoded slash', `?key=${encodeURIComponent('processed%2F..%2Fuploads%2Fx.json')}`, /percent-encoding/],
    ['an absolute path', `?key=${encodeURIComponent(`/${PROCESSED}`)}`, /relative/],
    ['another bucket', `?key=${encodeURIComponent(`s3://other-bucket/${PROCESSED}`)}`, /relative/],
    ['an empty segment', '?key=processed//x.parquet', /empty path segments/],
    ['a backslash', `?key=${encodeURIComponent('processed\\..\\uploads\\x')}`, /backslashes/],
  ])('refuses %s with a 400 and the reason', async (_what, query, message) => {
    const res = await ask(query);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  });

  it('answers 404 for a key in an allowed folder that holds no object', async () => {
    const res = await ask(`?key=${encodeURIComponent('processed/sales/date=2025-10-09/store=0001/none.parquet')}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ApiError).error.code).toBe('NOT_FOUND');
  });
});
