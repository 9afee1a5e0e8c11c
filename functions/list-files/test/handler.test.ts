import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ApiError, FileEntry, FilesResponse, RejectionsResponse } from '@tillflow/core';
import { type Platform, startTestPlatform, type TestLine, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LINES: TestLine[] = [
  { transaction: 1, sku: 'SKU-A', quantity: 1, unitPrice: 5 },
  { transaction: 1, sku: 'SKU-B', quantity: 2, unitPrice: 1.5 },
  { transaction: 2, sku: 'SKU-C', quantity: 1, unitPrice: 3 },
  { transaction: 3, sku: 'SKU-D', quantity: 4, unitPrice: 0.5 },
];
/** Lines 2 and 4 (1-based) of store 0001's second day are broken (quantity 0). */
const BROKEN = [1, 3];

let platform: Platform;
const get = (path: string) => fetch(`${platform.endpoints.api}${path}`);
async function json<T>(path: string): Promise<T> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001', '0002'] });
  const api = platform.endpoints.api;
  await uploadThroughApi(api, 'store_0001_2025-10-01.json', testStoreFile('0001', '2025-10-01', LINES));
  await uploadThroughApi(api, 'store_0002_2025-10-01.json', testStoreFile('0002', '2025-10-01', LINES));
  await uploadThroughApi(api, 'store_0001_2025-10-02.json', testStoreFile('0001', '2025-10-02', LINES, BROKEN));
  // Files a store's export could leave behind: one that is not JSON (rejected whole), one misnamed (unattributed).
  const s3 = platform.s3Client();
  await s3.send(
    new PutObjectCommand({ Bucket: platform.bucket, Key: 'uploads/store_0002_2025-10-02.json', Body: 'oops' }),
  );
  await s3.send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'uploads/notes.txt', Body: 'hello' }));
  await platform.waitForIdle();
}, 240_000);
afterAll(() => platform?.stop());

/** Every page of a listing, following next_cursor. */
async function allPages(query: string): Promise<{ pages: number; files: FileEntry[] }> {
  const files: FileEntry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: FilesResponse = await json(`/files?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    files.push(...page.files);
    cursor = page.next_cursor;
    pages++;
  } while (cursor && pages < 20);
  return { pages, files };
}

describe('GET /files', () => {
  it('lists the uploads in key order with the size S3 has and the store-day each names', async () => {
    const page = await json<FilesResponse>('/files?prefix=uploads');
    expect(page.files.map((f) => f.key)).toEqual([
      'uploads/notes.txt',
      'uploads/store_0001_2025-10-01.json',
      'uploads/store_0001_2025-10-02.json',
      'uploads/store_0002_2025-10-01.json',
      'uploads/store_0002_2025-10-02.json',
    ]);
    expect(page.next_cursor).toBeNull();
    for (const file of page.files) {
      const head = await platform.s3Client().send(new HeadObjectCommand({ Bucket: platform.bucket, Key: file.key }));
      expect(file.size, file.key).toBe(head.ContentLength);
      expect(Date.parse(file.last_modified), file.key).toBe(head.LastModified?.getTime());
      expect(file.rejected_lines).toBeNull();
    }
    expect(page.files[1]).toMatchObject({ store_id: '0001', date: '2025-10-01' });
    expect(page.files[0]).toMatchObject({ store_id: null, date: null });
  });

  it('pages through a listing with the cursor, every file once', async () => {
    const whole = await json<FilesResponse>('/files?prefix=uploads');
    const paged = await allPages('prefix=uploads&limit=2');
    expect(paged.pages).toBe(3);
    expect(paged.files.map((f) => f.key)).toEqual(whole.files.map((f) => f.key));
    // Filtered by the key (a date without a store), a page still ends where its cursor resumes.
    const byDate = await allPages('prefix=uploads&date=2025-10-01&limit=1');
    expect(byDate.files.map((f) => f.key)).toEqual([
      'uploads/store_0001_2025-10-01.json',
      'uploads/store_0002_2025-10-01.json',
    ]);
  });

  it('narrows processed files by date, by store and by both', async () => {
    const keys = async (q: string) =>
      (await json<FilesResponse>(`/files?prefix=processed${q}`)).files.map((f) => f.key);
    const key = (s: string, d: string) => `processed/sales/date=${d}/store=${s}/store_${s}_${d}.parquet`;
    expect(await keys('')).toEqual([key('0001', '2025-10-01'), key('0002', '2025-10-01'), key('0001', '2025-10-02')]);
    expect(await keys('&date=2025-10-02')).toEqual([key('0001', '2025-10-02')]);
    expect(await keys('&store=0002')).toEqual([key('0002', '2025-10-01')]);
    expect(await keys('&store=0001&date=2025-10-01')).toEqual([key('0001', '2025-10-01')]);
    expect(await keys('&store=0003')).toEqual([]);
  });

  it('counts the rejected lines of each rejected file, and says why a file was rejected whole', async () => {
    const page = await json<FilesResponse>('/files?prefix=rejected');
    const byKey = Object.fromEntries(page.files.map((f) => [f.key, f]));
    expect(byKey['rejected/date=2025-10-02/store=0001/store_0001_2025-10-02.rejected.json']).toMatchObject({
      rejected_lines: BROKEN.length,
      reason: null,
      store_id: '0001',
    });
    expect(byKey['rejected/date=2025-10-02/store=0002/store_0002_2025-10-02.rejected.json']).toMatchObject({
      rejected_lines: 0,
      reason: expect.stringMatching(/not (valid JSON|a JSON array)/),
    });
    const unattributed = page.files.find((f) => f.key.startsWith('rejected/unattributed/'));
    expect(unattributed).toMatchObject({
      rejected_lines: 0,
      store_id: null,
      reason: expect.stringMatching(/not of the form/),
    });
    expect(page.files).toHaveLength(3);
  });

  it.each([
    ['no prefix', '', /query parameter prefix is required/],
    [
      'a folder it does not list',
      '?prefix=analysis',
      /query parameter prefix must be one of uploads, processed, rejected/,
    ],
    ['a limit of 0', '?prefix=uploads&limit=0', /query parameter limit must be >= 1/],
    ['a limit over 1000', '?prefix=uploads&limit=1001', /query parameter limit must be <= 1000/],
    ['a cursor it did not make', '?prefix=uploads&cursor=bm9wZQ', /cursor is not a next_cursor of this listing/],
    [
      'a cursor of another listing',
      `?prefix=uploads&cursor=${Buffer.from('processed/x').toString('base64url')}`,
      /cursor/,
    ],
    ['a date not on the calendar', '?prefix=uploads&date=2025-02-29', /date is not a calendar date/],
  ])('refuses %s with a 400 and the reason', async (_what, query, message) => {
    const res = await get(`/files${query}`);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  });
});

describe('GET /files/rejections', () => {
  const key = 'rejected/date=2025-10-02/store=0001/store_0001_2025-10-02.rejected.json';

  it("gives a rejected file's lines, each with its line number, the record and every reason", async () => {
    const body = await json<RejectionsResponse>(`/files/rejections?key=${encodeURIComponent(key)}`);
    expect(body).toMatchObject({
      key,
      source_key: 'uploads/store_0001_2025-10-02.json',
      reason: null,
      lines: LINES.length,
      rejected: BROKEN.length,
      next_cursor: null,
    });
    expect(body.records.map((r) => r.line)).toEqual(BROKEN.map((i) => i + 1));
    for (const record of body.records) {
      expect(record.reasons.map((r) => r.field)).toContain('quantity');
      expect((record.record as { quantity: number }).quantity).toBe(0);
    }
  });

  it('pages through the lines with the cursor', async () => {
    const first = await json<RejectionsResponse>(`/files/rejections?key=${encodeURIComponent(key)}&limit=1`);
    expect(first.records.map((r) => r.line)).toEqual([(BROKEN[0] as number) + 1]);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<RejectionsResponse>(
      `/files/rejections?key=${encodeURIComponent(key)}&limit=1&cursor=${first.next_cursor}`,
    );
    expect(second.records.map((r) => r.line)).toEqual([(BROKEN[1] as number) + 1]);
    expect(second.next_cursor).toBeNull();
  });

  it('gives the reason of a file rejected whole, with no lines', async () => {
    const whole = 'rejected/date=2025-10-02/store=0002/store_0002_2025-10-02.rejected.json';
    const body = await json<RejectionsResponse>(`/files/rejections?key=${encodeURIComponent(whole)}`);
    expect(body).toMatchObject({
      rejected: 0,
      records: [],
      reason: expect.stringMatching(/not (valid JSON|a JSON array)/),
    });
  });

  it.each([
    ['no key', '', 400, /query parameter key is required/],
    ['a key outside rejected/', '?key=processed/sales/x.parquet', 400, /key must name an object under rejected\//],
    ['a key that climbs out', '?key=rejected/../uploads/store_0001_2025-10-01.json', 400, /"\.\."/],
    ['a key that is not a rejection file', '?key=rejected/date=2025-10-02/', 400, /rejected file/],
    [
      'a rejected file that does not exist',
      '?key=rejected/date=2025-10-09/store=0001/x.rejected.json',
      404,
      /does not exist/,
    ],
  ])('refuses %s', async (_what, query, status, message) => {
    const res = await get(`/files/rejections${query}`);
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as ApiError;
    expect(error.message).toMatch(message);
  });
});
