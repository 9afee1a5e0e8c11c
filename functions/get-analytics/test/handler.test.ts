import type { AnalyticsResponse, ApiError } from '@tillflow/core';
import { type Platform, startTestPlatform, type TestLine, testStoreFile, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STORES = ['0001', '0002'];
const DAYS = ['2025-10-01', '2025-10-02', '2025-10-03'];
/** A day where only store 0001 reports; its analysis is started by hand, as the cut-off would. */
const PARTIAL_DAY = '2025-10-05';

/** Three lines in two transactions; the amounts depend on the store and the day so that every figure differs. */
function linesOf(store: string, day: number): TestLine[] {
  const s = Number(store);
  return [
    { transaction: 1, sku: 'SKU-A', name: 'Apple', quantity: 1 + day, unitPrice: 10 + s, payment: 'cash' },
    { transaction: 1, sku: 'SKU-B', name: 'Bread', quantity: 2, unitPrice: 2.5, discount: 0.5, payment: 'cash' },
    { transaction: 2, sku: 'SKU-C', name: 'Cheese', quantity: 1, unitPrice: 7.25 * s, payment: 'credit', hour: 15 },
  ];
}

/** The figures of lines, by hand in cents (shared/DESIGN.md, Metric definitions). */
function figures(lines: readonly TestLine[]) {
  const gross = lines.reduce((n, l) => n + Math.round(l.unitPrice * l.quantity * 100), 0);
  const discounts = lines.reduce((n, l) => n + Math.round((l.discount ?? 0) * 100), 0);
  const byPayment = (method: string) =>
    lines
      .filter((l) => (l.payment ?? 'cash') === method)
      .reduce((n, l) => n + Math.round(l.unitPrice * l.quantity * 100) - Math.round((l.discount ?? 0) * 100), 0);
  return {
    gross,
    discounts,
    net: gross - discounts,
    transactions: new Set(lines.map((l) => l.transaction)).size,
    items: lines.reduce((n, l) => n + l.quantity, 0),
    cash: byPayment('cash'),
    credit: byPayment('credit'),
  };
}
const cents = (value: number) => Math.round(value * 100);

let platform: Platform;
const get = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.endpoints.api}/analytics${query}`, { headers });

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: STORES });
  const api = platform.endpoints.api;
  for (const [d, date] of DAYS.entries())
    for (const store of STORES)
      await uploadThroughApi(api, `store_${store}_${date}.json`, testStoreFile(store, date, linesOf(store, d)));
  await uploadThroughApi(api, `store_0001_${PARTIAL_DAY}.json`, testStoreFile('0001', PARTIAL_DAY, linesOf('0001', 0)));
  await platform.waitForIdle();
  platform.startExecution('daily-analysis', { date: PARTIAL_DAY });
  await platform.waitForIdle();
}, 240_000);
afterAll(() => platform?.stop());

describe('GET /analytics', () => {
  it("answers a day's company KPIs, stores, payment mix and products as the uploaded lines add up", async () => {
    const res = await get(`?date=${DAYS[1]}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as AnalyticsResponse;
    const perStore = STORES.map((s) => ({ store: s, ...figures(linesOf(s, 1)) }));
    const total = (k: 'gross' | 'discounts' | 'net' | 'transactions' | 'items' | 'cash' | 'credit') =>
      perStore.reduce((n, s) => n + s[k], 0);
    expect(body.date).toBe(DAYS[1]);
    expect(cents(body.company.gross_sales)).toBe(total('gross'));
    expect(cents(body.company.discounts)).toBe(total('discounts'));
    expect(cents(body.company.net_sales)).toBe(total('net'));
    expect(body.company.transactions).toBe(total('transactions'));
    expect(body.company.items).toBe(total('items'));
    expect(cents(body.company.avg_basket)).toBe(Math.round(total('net') / total('transactions')));
    expect(body.company.discount_rate_pct).toBe(Math.round((total('discounts') / total('gross')) * 10_000) / 100);
    expect(cents(body.payment_mix.cash.net_sales)).toBe(total('cash'));
    expect(cents(body.payment_mix.credit.net_sales)).toBe(total('credit'));
    expect(body.payment_mix.debit).toEqual({ net_sales: 0, transactions: 0 });

    // Stores ranked by net sales; store 0002's prices are higher, so it comes first.
    expect(body.stores.map((s) => [s.store_id, s.rank])).toEqual([
      ['0002', 1],
      ['0001', 2],
    ]);
    for (const s of perStore) {
      const shown = body.stores.find((x) => x.store_id === s.store);
      expect(cents(shown?.net_sales ?? -1), s.store).toBe(s.net);
      expect(shown?.share_pct).toBe(Math.round((s.net / total('net')) * 10_000) / 100);
    }
    expect(body.best_store?.store_id).toBe('0002');
    expect(body.worst_store?.store_id).toBe('0001');

    // SKU-C sells 7.25 + 14.50; SKU-A 2 × (11 + 12); SKU-B 2 × (2 × 2.5 − 0.5).
    expect(body.products.total_products).toBe(3);
    expect(body.products.top.map((p) => [p.sku, cents(p.net_sales)])).toEqual([
      ['SKU-A', 4600],
      ['SKU-C', 2175],
      ['SKU-B', 900],
    ]);
    expect(body.products.bottom[0]?.sku).toBe('SKU-B');
  });

  it("tells the day's status: every expected store in the figures, the revision, nothing missing or late", async () => {
    const body = (await (await get(`?date=${DAYS[0]}`)).json()) as AnalyticsResponse;
    expect(body.status).toMatchObject({
      stores_expected: 2,
      stores_reported: 2,
      reported_stores: STORES,
      missing_stores: [],
      late_stores: [],
      unexpected_stores: [],
      analysis_revision: 1,
      latest_revision: 1,
      complete: true,
    });
    expect(body.status.analysis_claimed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const severities = ['critical', 'high', 'medium', 'low'];
    const ranks = body.insights.items.map((i) => severities.indexOf(i.severity));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('names the missing store of a day analysed without it, and does not let that answer be cached', async () => {
    const res = await get(`?date=${PARTIAL_DAY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as AnalyticsResponse;
    expect(body.status).toMatchObject({ stores_reported: 1, missing_stores: ['0002'], complete: false });
    expect(cents(body.company.net_sales)).toBe(figures(linesOf('0001', 0)).net);
  });

  it('answers the latest analysed day without a date', async () => {
    const body = (await (await get('')).json()) as AnalyticsResponse;
    expect(body.date).toBe(PARTIAL_DAY);
  });

  it('gives a past complete day an ETag and answers 304 when the client has it', async () => {
    const first = await get(`?date=${DAYS[2]}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await get(`?date=${DAYS[2]}`, { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const other = await get(`?date=${DAYS[2]}`, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
    expect(((await other.json()) as AnalyticsResponse).date).toBe(DAYS[2]);
  });

  it('answers a date without analysis with a 404 that lists the nearest analysed days, never another day', async () => {
    const res = await get('?date=2025-10-04');
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.nearest_dates).toEqual([...DAYS, PARTIAL_DAY]);
    expect(error.message).toContain('2025-10-04 has not been analysed');
  });

  it.each([
    ['a date not on the calendar', '?date=2025-02-30', /query parameter date is not a calendar date/],
    ['a date in another format', '?date=03/10/2025', /query parameter date/],
    ['a parameter it does not take', '?day=2025-10-01', /unknown query parameter day; it takes date/],
  ])('refuses %s with a 400 and the reason', async (_what, query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiError;
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.message).toMatch(message);
  });
});
