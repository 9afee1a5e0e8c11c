import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { parquetToMarketplaceRows } from '@tillflow/columnar';
import type {
  MarketplaceAnalyticsResponse,
  MarketplaceReportEntry,
  MarketplaceReportsResponse,
  UploadUrlResponse,
} from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedLine,
  generateMarketplaceLines,
  serializeMarketplaceReport,
} from '../../../scripts/marketplace-data';

let platform: Platform;
beforeAll(async () => {
  // The route's 10 s timeout is Terraform's; on a CI machine shared by parallel test files a cold start can take
  // longer, which would test the machine, not the route.
  platform = await startTestPlatform({ functionTimeoutsSeconds: { 'get-marketplace-analytics': 60 } });
});
afterAll(() => platform?.stop());

/** The report of this test: 1,500 orders over 60 days of April–June 2022, 12 injected bad lines, the quirks of real exports. */
const lines = generateMarketplaceLines({ orders: 1500, start: '2022-04-16', days: 60, seed: 11, badLines: 12 });
const csv = serializeMarketplaceReport(lines);

/**
 * The figures the API must answer, computed here from the generated values with none of the adapter's code: amounts
 * as integer cents from their text, statuses by the words the issue names.
 */
function expectedFigures(all: readonly GeneratedLine[]) {
  const good = all.filter((l) => !l.bad).map((l) => l.values);
  const cents = (a: string) => (a === '' ? 0 : Math.round(Number(a) * 100));
  const isCancelled = (s: string) => s === 'Cancelled';
  const isExcluded = (s: string) => /Returned|Returning|Rejected|Lost|Damaged/.test(s);
  const active = good.filter((v) => !isCancelled(v.Status) && !isExcluded(v.Status));
  const sum = (vs: typeof good) => vs.reduce((s, v) => s + cents(v.Amount), 0);
  const orders = (vs: typeof good) => new Set(vs.map((v) => v['Order ID'])).size;
  const qty = (vs: typeof good) => vs.reduce((s, v) => s + Number(v.Qty), 0);
  const revenue = sum(active);
  const b2b = sum(active.filter((v) => v.B2B === 'True'));
  const byKey = (key: (v: (typeof good)[number]) => string) => {
    const groups = new Map<string, typeof good>();
    for (const v of active) groups.set(key(v), [...(groups.get(key(v)) ?? []), v]);
    return groups;
  };
  const states = [...byKey((v) => v['ship-state'])]
    .filter(([s]) => s !== '')
    .map(([state, vs]) => ({ state, revenue: sum(vs) / 100, orders: orders(vs), quantity: qty(vs) }))
    .sort((a, b) => b.revenue - a.revenue || a.state.localeCompare(b.state))
    .slice(0, 10);
  const months = [...byKey((v) => `20${v.Date.slice(6, 8)}-${v.Date.slice(0, 2)}`)]
    .map(([month, vs]) => ({ month, revenue: sum(vs) / 100, orders: orders(vs), quantity: qty(vs) }))
    .sort((a, b) => a.month.localeCompare(b.month));
  const categories = [...byKey((v) => v.Category)]
    .map(([category, vs]) => ({
      category,
      revenue: sum(vs) / 100,
      quantity: qty(vs),
      orders: orders(vs),
      average_order_value: Math.round(sum(vs) / orders(vs)) / 100,
    }))
    .sort((a, b) => b.revenue - a.revenue);
  const fulfilment = (f: string) => {
    const vs = active.filter((v) => v.Fulfilment === f);
    return {
      revenue: sum(vs) / 100,
      orders: orders(vs),
      quantity: qty(vs),
      revenue_share_pct: Math.round((sum(vs) / revenue) * 10_000) / 100,
    };
  };
  return {
    kpis: {
      total_revenue: revenue / 100,
      total_orders: orders(active),
      average_order_value: Math.round(revenue / orders(active)) / 100,
      total_quantity: qty(active),
      b2b_revenue: b2b / 100,
      b2c_revenue: (revenue - b2b) / 100,
      b2b_share_pct: Math.round((b2b / revenue) * 10_000) / 100,
      fulfilment: { Amazon: fulfilment('Amazon'), Merchant: fulfilment('Merchant') },
    },
    regional_analytics: states,
    category_performance: categories,
    monthly_trends: months,
    records: {
      total_records: good.length,
      active_records: active.length,
      cancelled_records: good.filter((v) => isCancelled(v.Status)).length,
      excluded_records: good.filter((v) => isExcluded(v.Status)).length,
      rejected_records: all.length - good.length,
    },
    good,
  };
}

async function getAnalytics(query: string) {
  const res = await fetch(`${platform.endpoints.api}/analytics/marketplace${query}`);
  return {
    status: res.status,
    body: (await res.json()) as MarketplaceAnalyticsResponse & { error?: { code: string; message: string } },
  };
}

async function read(key: string): Promise<Uint8Array> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

describe('a marketplace report through the local platform', { timeout: 180_000 }, () => {
  it('is uploaded through POST /uploads, lands as Parquet by channel and date, rejects its bad lines with reasons, and GET /analytics/marketplace answers its KPIs', async () => {
    const expected = expectedFigures(lines);
    const answer = await fetch(`${platform.endpoints.api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'sales-2022-q2.csv', channel: 'amazon' }),
    });
    expect(answer.status).toBe(200);
    const upload = (await answer.json()) as UploadUrlResponse;
    expect(upload.key).toBe('uploads/marketplace/amazon/sales-2022-q2.csv');
    expect(upload.headers).toEqual({ 'Content-Type': 'text/csv' });
    const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: csv });
    expect(put.status).toBe(200);
    await platform.waitForIdle();

    const [execution] = platform.executions({ machine: 'upload-processor' });
    expect(execution?.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution?.output ?? '{}');
    expect(output).toMatchObject({
      status: 'processed',
      source: 'marketplace',
      report: 'amazon/sales-2022-q2',
      lines: lines.length,
      accepted: expected.good.length,
      rejected: 12,
    });
    // The store-day steps did not run: no store summary, no day status for a marketplace report.
    expect(execution?.output).not.toContain('claimed');

    // The lake: one object per order date, every accepted line once, the marketplace columns kept.
    const listed = await platform
      .s3Client()
      .send(new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: 'processed/marketplace/channel=amazon/' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key as string);
    const dates = new Set(
      expected.good.map((v) => `20${v.Date.slice(6, 8)}-${v.Date.slice(0, 2)}-${v.Date.slice(3, 5)}`),
    );
    expect(keys.sort()).toEqual(
      [...dates].sort().map((d) => `processed/marketplace/channel=amazon/date=${d}/sales-2022-q2.parquet`),
    );
    const rows = (await Promise.all(keys.map(async (k) => parquetToMarketplaceRows(await read(k))))).flat();
    expect(rows).toHaveLength(expected.good.length);
    expect(new Set(rows.map((r) => `${r.order_id}/${r.sku}`)).size).toBe(expected.good.length);
    const sample = expected.good[0] as GeneratedLine['values'];
    const row = rows.find((r) => r.order_id === sample['Order ID'] && r.sku === sample.SKU);
    expect(row).toMatchObject({
      channel: 'amazon',
      status: sample.Status,
      fulfilment: sample.Fulfilment,
      sales_channel: sample['Sales Channel'],
      category: sample.Category,
      ship_state: sample['ship-state'] || null,
      b2b: sample.B2B === 'True',
      promotion_ids: sample['promotion-ids'] || null,
    });

    // rejected/: every bad line, with the reason naming its field.
    const rejected = JSON.parse(
      new TextDecoder().decode(await read('rejected/marketplace/channel=amazon/sales-2022-q2.rejected.json')),
    );
    expect(rejected.rejected).toBe(12);
    expect(rejected.records).toHaveLength(12);
    const badLines = lines.flatMap((l, i) => (l.bad ? [i + 1] : []));
    expect(rejected.records.map((r: { line: number }) => r.line)).toEqual(badLines);

    // The API: the figures computed above, independently.
    const { status, body } = await getAnalytics('?report=amazon/sales-2022-q2');
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    expect(body.data.kpis).toEqual(expected.kpis);
    expect(body.data.regional_analytics).toEqual(expected.regional_analytics);
    expect(body.data.category_performance).toEqual(expected.category_performance);
    expect(body.data.monthly_trends).toEqual(expected.monthly_trends);
    expect(body.metadata).toMatchObject({ ...expected.records, currency: 'INR' });
    expect(body.metadata.total_records).toBe(
      body.metadata.active_records + body.metadata.cancelled_records + body.metadata.excluded_records,
    );
  });

  it.each([
    ['no report', '', 400, /report is required/],
    ['a report without a channel', '?report=sales-2022-q2', 400, /report/],
    ['a path in the name', '?report=amazon/../x', 400, /report/],
    ['an unknown parameter', '?report=amazon/x&date=2022-04-01', 400, /unknown query parameter date/],
    [
      'a report never uploaded',
      '?report=amazon/never-uploaded',
      404,
      /uploads\/marketplace\/amazon\/never-uploaded\.csv/,
    ],
  ])('answers %s with %i and the reason', async (_what, query, status, message) => {
    const res = await getAnalytics(query);
    expect(res.status).toBe(status);
    expect(res.body.error?.message).toMatch(message);
  });
});

describe('GET /analytics/marketplace/reports', { timeout: 180_000 }, () => {
  it('lists the uploaded reports of a channel in name order, with the counts of the processed ones, page by page', async () => {
    const small = generateMarketplaceLines({ orders: 60, start: '2022-05-01', days: 5, seed: 5, badLines: 3 });
    const put = (key: string, body: string) =>
      platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
    await put('uploads/marketplace/shop/a-may.csv', serializeMarketplaceReport(small));
    // A file with no marketplace header is rejected whole: listed, with nothing known of its records.
    await put('uploads/marketplace/shop/b-broken.csv', 'just,some,columns\n1,2,3\n');
    await platform.waitForIdle();

    const res = await fetch(`${platform.endpoints.api}/analytics/marketplace/reports?channel=shop`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as MarketplaceReportsResponse;
    expect(body.next_cursor).toBeNull();
    expect(body.reports.map((r) => [r.report, r.status])).toEqual([
      ['shop/a-may', 'processed'],
      ['shop/b-broken', 'unprocessed'],
    ]);
    const [processed, broken] = body.reports as [MarketplaceReportEntry, MarketplaceReportEntry];
    // Date is MM-DD-YY in the report.
    const dates = small
      .filter((l) => !l.bad)
      .map(({ values: { Date: d } }) => `20${d.slice(6, 8)}-${d.slice(0, 2)}-${d.slice(3, 5)}`)
      .sort();
    expect(processed).toMatchObject({
      channel: 'shop',
      name: 'a-may',
      upload_key: 'uploads/marketplace/shop/a-may.csv',
      accepted_records: small.filter((l) => !l.bad).length,
      rejected_records: 3,
      first_date: dates[0],
      last_date: dates.at(-1),
    });
    expect(Date.parse(processed.processed_at ?? '')).toBeGreaterThanOrEqual(Date.parse(processed.uploaded_at));
    expect(broken).toMatchObject({ processed_at: null, accepted_records: null, rejected_records: null });

    // One per page: the cursor goes on to the second report, then ends.
    const first = (await (
      await fetch(`${platform.endpoints.api}/analytics/marketplace/reports?channel=shop&limit=1`)
    ).json()) as MarketplaceReportsResponse;
    expect(first.reports.map((r) => r.report)).toEqual(['shop/a-may']);
    const second = (await (
      await fetch(
        `${platform.endpoints.api}/analytics/marketplace/reports?channel=shop&limit=1&cursor=${first.next_cursor}`,
      )
    ).json()) as MarketplaceReportsResponse;
    expect(second.reports.map((r) => r.report)).toEqual(['shop/b-broken']);
  });

  it.each([
    ['a channel in capitals', '?channel=Shop'],
    ['a cursor of another listing', '?channel=shop&cursor=eA'],
  ])('answers %s with 400', async (_what, query) => {
    const res = await fetch(`${platform.endpoints.api}/analytics/marketplace/reports${query}`);
    expect(res.status).toBe(400);
  });
});
