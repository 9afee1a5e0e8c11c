import type { ApiError, DatesResponse, StoresResponse } from '@tillflow/core';
import { type Platform, startTestPlatform, type TestLine, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXPECTED = ['0001', '0002', '0003'];
const LINES: TestLine[] = [{ transaction: 1, sku: 'SKU-A', quantity: 1, unitPrice: 5 }];

let platform: Platform;
const get = (path: string) => fetch(`${platform.endpoints.api}${path}`);
const upload = (store: string, date: string) =>
  uploadThroughApi(platform.endpoints.api, `store_${store}_${date}.json`, testStoreFile(store, date, LINES));

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: EXPECTED });
  // 0001 reports two days, 0002 one, 0003 none; 0004 is not expected but reports. No day is complete, so each
  // day's analysis is started by hand as the cut-off would.
  await upload('0001', '2025-10-01');
  await upload('0002', '2025-10-01');
  await upload('0001', '2025-10-02');
  await upload('0004', '2025-10-02');
  await platform.waitForIdle();
  // An older day uploaded last must not move 0001's last reported day back.
  await upload('0001', '2025-09-30');
  await platform.waitForIdle();
  for (const date of ['2025-10-01', '2025-10-02']) platform.startExecution('daily-analysis', { date });
  await platform.waitForIdle();
}, 240_000);
afterAll(() => platform?.stop());

describe('GET /stores', () => {
  it('lists the expected stores and those seen, with the last day each reported', async () => {
    const res = await get('/stores');
    expect(res.status).toBe(200);
    expect((await res.json()) as StoresResponse).toEqual({
      stores: [
        { store_id: '0001', name: null, expected: true, last_reported_date: '2025-10-02' },
        { store_id: '0002', name: null, expected: true, last_reported_date: '2025-10-01' },
        { store_id: '0003', name: null, expected: true, last_reported_date: null },
        { store_id: '0004', name: null, expected: false, last_reported_date: '2025-10-02' },
      ],
    });
  });

  it('refuses a parameter it does not take', async () => {
    const res = await get('/stores?store=0001');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiError).error.message).toBe('unknown query parameter store; it takes none');
  });
});

describe('GET /dates', () => {
  it('lists the analysed days newest first, with how many stores each has', async () => {
    const res = await get('/dates');
    expect(res.status).toBe(200);
    expect((await res.json()) as DatesResponse).toEqual({
      dates: [
        { date: '2025-10-02', stores_reported: 2, stores_expected: 3, analysis_revision: 1 },
        { date: '2025-10-01', stores_reported: 2, stores_expected: 3, analysis_revision: 1 },
      ],
      latest: '2025-10-02',
    });
  });

  it('refuses a parameter it does not take', async () => {
    const res = await get('/dates?limit=5');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiError).error.code).toBe('VALIDATION_ERROR');
  });
});
