import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { ApiError, ReportResponse } from '@tillflow/core';
import { type Platform, startTestPlatform, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DATE = '2025-10-01';

let platform: Platform;
const get = (path: string) => fetch(`${platform.endpoints.api}/reports/${path}`);

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001', '0002'] });
  for (const store of ['0001', '0002']) {
    const lines = [{ transaction: 1, sku: 'SKU-A', name: 'Apple', quantity: Number(store), unitPrice: 3.25 }];
    await uploadThroughApi(platform.endpoints.api, `store_${store}_${DATE}.json`, testStoreFile(store, DATE, lines));
  }
  await platform.waitForIdle();
}, 180_000);
afterAll(() => platform?.stop());

/** The report as it went out: the text of the message on the report topic. */
function sent(): string {
  const messages = platform.messages('tillflow-daily-report').filter((m) => m.subject?.includes(DATE));
  expect(messages).toHaveLength(1);
  return messages[0]?.message ?? '';
}

async function stored(key: string): Promise<string> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return (await out.Body?.transformToString()) ?? '';
}

describe('GET /reports/{date}', () => {
  it("answers the day's report as sent, in text and HTML, with where it is kept", async () => {
    const res = await get(DATE);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReportResponse;
    expect(body.text).toBe(sent());
    expect(body.text).toContain(DATE);
    expect(body.html_key).toBe(`reports/date=${DATE}/report.html`);
    expect(body.html).toBe(await stored(body.html_key));
    expect(body.html).toMatch(/^<!doctype html>/i);
    expect(Date.parse(body.last_modified)).not.toBeNaN();
  });

  it.each([
    ['text', 'text/plain'],
    ['html', 'text/html'],
  ])('answers the report itself with format=%s', async (format, type) => {
    const res = await get(`${DATE}?format=${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    const json = (await (await get(DATE)).json()) as ReportResponse;
    expect(await res.text()).toBe(format === 'text' ? json.text : json.html);
  });

  it('answers 404 for a day without a report', async () => {
    const res = await get('2025-10-02');
    expect(res.status).toBe(404);
    expect((await res.json()) as ApiError).toEqual({
      error: { code: 'NOT_FOUND', message: '2025-10-02 has no report' },
    });
  });

  it.each([
    ['a date not on the calendar', '2025-02-30', /path parameter date is not a calendar date/],
    ['something else than a date', 'latest', /path parameter date/],
    ['a format it does not have', `${DATE}?format=pdf`, /query parameter format must be one of json, text, html/],
  ])('refuses %s with a 400 and the reason', async (_what, path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  });
});
