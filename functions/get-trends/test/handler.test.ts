import { type ApiError, addDays, type TrendsResponse } from '@tillflow/core';
import { type Platform, startTestPlatform, type TestLine, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIRST = '2025-10-01';
const DAYS = 15;
/** A day the store did not report: a gap in the series. */
const GAP = 11;
const TO = addDays(FIRST, DAYS - 1);

/** SKU-A sells more in the second week, SKU-C less, SKU-B the same; amounts differ by day so every figure differs. */
function linesOf(day: number): TestLine[] {
  const late = day >= DAYS - 7;
  return [
    { transaction: 1, sku: 'SKU-A', name: 'Apple', quantity: late ? 3 : 1, unitPrice: 10 },
    { transaction: 1, sku: 'SKU-B', name: 'Bread', quantity: 1, unitPrice: 2 + day / 100 },
    { transaction: 2, sku: 'SKU-C', name: 'Cheese', quantity: late ? 1 : 2, unitPrice: 6, payment: 'credit' },
    ...(day % 2 === 0 ? [{ transaction: 3, sku: 'SKU-B', quantity: 1, unitPrice: 2 + day / 100 }] : []),
  ];
}
const netCents = (lines: TestLine[]) => lines.reduce((n, l) => n + Math.round(l.unitPrice * l.quantity * 100), 0);
const transactions = (lines: TestLine[]) => new Set(lines.map((l) => l.transaction)).size;
const cents = (value: number | null) => (value === null ? null : Math.round(value * 100));

/** The uploaded days by date: net sales in cents and transactions. */
const uploaded = new Map<string, { net: number; transactions: number }>();

let platform: Platform;
const get = (query: string) => fetch(`${platform.endpoints.api}/trends${query}`);

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001'] });
  for (let day = 0; day < DAYS; day++) {
    if (day === GAP) continue;
    const date = addDays(FIRST, day);
    const lines = linesOf(day);
    uploaded.set(date, { net: netCents(lines), transactions: transactions(lines) });
    await uploadThroughApi(platform.endpoints.api, `store_0001_${date}.json`, testStoreFile('0001', date, lines));
  }
  await platform.waitForIdle();
}, 300_000);
afterAll(() => platform?.stop());

/** The mean in cents of the uploaded days among the `window` days ending on `date`, by hand; null when none. */
function mean(date: string, window: number): number | null {
  const values: number[] = [];
  for (let i = 0; i < window; i++) {
    const day = uploaded.get(addDays(date, -i));
    if (day) values.push(day.net);
  }
  if (values.length === 0) return null;
  return Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

describe('GET /trends', () => {
  it('answers the daily series of the company and the store, with the gap shown as a day without figures', async () => {
    const res = await get(`?store=0001&days=10&date=${TO}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TrendsResponse;
    expect([body.from, body.to, body.days]).toEqual([addDays(TO, -9), TO, 10]);
    for (const series of [body.company, body.store]) {
      expect(series?.points.map((p) => p.date)).toEqual(Array.from({ length: 10 }, (_, i) => addDays(TO, i - 9)));
      for (const point of series?.points ?? []) {
        const day = uploaded.get(point.date);
        expect(point.reported, point.date).toBe(day !== undefined);
        expect(cents(point.net_sales), point.date).toBe(day?.net ?? 0);
        expect(point.transactions, point.date).toBe(day?.transactions ?? 0);
        expect(cents(point.avg_basket), point.date).toBe(day ? Math.round(day.net / day.transactions) : 0);
        expect(cents(point.net_sales_ma7), point.date).toBe(mean(point.date, 7));
        expect(cents(point.net_sales_ma30), point.date).toBe(mean(point.date, 30));
      }
    }
    expect(body.store?.store_id).toBe('0001');
  });

  it('compares the last 7 days with the 7 before', async () => {
    const body = (await (await get(`?days=7&date=${TO}`)).json()) as TrendsResponse;
    const sum = (from: number, to: number, k: 'net' | 'transactions') => {
      let n = 0;
      for (let i = from; i <= to; i++) n += uploaded.get(addDays(TO, -i))?.[k] ?? 0;
      return n;
    };
    const wow = body.company.week_over_week;
    expect(cents(wow.net_sales)).toBe(sum(0, 6, 'net'));
    expect(cents(wow.previous_net_sales)).toBe(sum(7, 13, 'net'));
    expect(wow.net_sales_change_pct).toBe(
      Math.round(((sum(0, 6, 'net') - sum(7, 13, 'net')) / sum(7, 13, 'net')) * 10_000) / 100,
    );
    expect(wow.transactions).toBe(sum(0, 6, 'transactions'));
    expect(body.store).toBeNull();
  });

  it('names the products rising and falling over the last week', async () => {
    const body = (await (await get(`?date=${TO}`)).json()) as TrendsResponse;
    expect(body.days).toBe(30);
    expect(body.products.rising.map((p) => p.sku)).toEqual(['SKU-A']);
    expect(body.products.falling.map((p) => p.sku)).toEqual(['SKU-C']);
    const apple = body.products.rising[0];
    // Six days of the current week have figures (one is the gap), each 3 × 10.00; the week before, 7 × 1 × 10.00.
    const currentDays = [0, 1, 2, 3, 4, 5, 6].filter((i) => uploaded.has(addDays(TO, -i))).length;
    expect(apple).toMatchObject({ name: 'Apple', units: 3 * currentDays, previous_units: 7, direction: 'improving' });
    expect(cents(apple?.net_sales ?? 0)).toBe(3000 * currentDays);
  });

  it('defaults to the 30 days ending on the latest analysed day', async () => {
    const body = (await (await get('')).json()) as TrendsResponse;
    expect([body.to, body.days, body.company.points.length]).toEqual([TO, 30, 30]);
    expect(body.company.points.filter((p) => p.reported).length).toBe(uploaded.size);
  });

  it('answers a store that never reported with a series of days without figures', async () => {
    const body = (await (await get(`?store=0009&days=5&date=${TO}`)).json()) as TrendsResponse;
    expect(body.store?.points.every((p) => !p.reported && p.net_sales === 0 && p.net_sales_ma7 === null)).toBe(true);
  });

  it.each([
    ['days of 0', '?days=0', /query parameter days must be >= 1/],
    ['days over a year', '?days=367', /query parameter days must be <= 366/],
    ['days that are not a number', '?days=week', /query parameter days must be integer/],
    ['a store id that is not four digits', '?store=1', /query parameter store is not a store id/],
    ['a date not on the calendar', '?date=2025-13-01', /query parameter date is not a calendar date/],
  ])('refuses %s with a 400 and the reason', async (_what, query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  });
});
