import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AnalyticsJobAccepted, AnalyticsJobView } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedLine,
  generateMarketplaceLines,
  serializeMarketplaceReport,
} from '../../../scripts/marketplace-data';

let platform: Platform;

/** A generated report of 800 orders over April–May 2022 with 6 invalid lines, uploaded as a chain would. */
const lines = generateMarketplaceLines({ orders: 800, start: '2022-04-20', days: 25, seed: 23, badLines: 6 });
const good = lines.filter((l) => !l.bad).map((l) => l.values);

beforeAll(async () => {
  // The upload workflow runs: the report lands in the marketplace lake through process-upload.
  platform = await startTestPlatform();
  await platform.s3Client().send(
    new PutObjectCommand({
      Bucket: platform.bucket,
      Key: 'uploads/marketplace/amazon/orders-2022.csv',
      Body: serializeMarketplaceReport(lines),
      ContentType: 'text/csv',
    }),
  );
  await platform.waitForIdle();
}, 180_000);
afterAll(() => platform?.stop());

type Values = GeneratedLine['values'];

/**
 * marketplace_summary's figures computed here from the generated values, with none of the adapter's code: amounts as
 * integer cents from their text, unsold statuses by the words the issue names, dates from the report's MM-DD-YY.
 */
function expected(key: (v: Values) => string) {
  const cents = (a: string) => (a === '' ? 0 : Math.round(Number(a) * 100));
  const unsold = (s: string) => s === 'Cancelled' || /Returned|Returning|Rejected|Lost|Damaged/.test(s);
  const groups = new Map<string, Values[]>();
  for (const v of good) groups.set(key(v), [...(groups.get(key(v)) ?? []), v]);
  const rows = [...groups].map(([group_value, vs]) => {
    const sold = vs.filter((v) => !unsold(v.Status));
    const revenue = sold.reduce((s, v) => s + cents(v.Amount), 0);
    const orders = new Set(sold.map((v) => v['Order ID'])).size;
    return {
      group_value,
      records: vs.length,
      active_records: sold.length,
      excluded_records: vs.length - sold.length,
      orders,
      quantity: sold.reduce((s, v) => s + Number(v.Qty), 0),
      revenue_cents: revenue,
      b2b_revenue_cents: sold.filter((v) => v.B2B === 'True').reduce((s, v) => s + cents(v.Amount), 0),
    };
  });
  return rows.sort((a, b) => b.revenue_cents - a.revenue_cents || (a.group_value < b.group_value ? -1 : 1));
}

async function job(parameters: Record<string, unknown>) {
  const res = await fetch(`${platform.endpoints.api}/analytics/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'marketplace_summary', parameters }),
  });
  expect(res.status).toBe(202);
  const { job_id } = (await res.json()) as AnalyticsJobAccepted;
  await platform.waitForIdle();
  const view = (await (await fetch(`${platform.endpoints.api}/analytics/jobs/${job_id}`)).json()) as AnalyticsJobView;
  expect(view.status, JSON.stringify(view.error)).toBe('SUCCEEDED');
  return view.result?.rows ?? [];
}

describe('marketplace_summary over a generated report uploaded through the local platform', {
  timeout: 120_000,
}, () => {
  const range = { from: '2022-04-01', to: '2022-05-31' };

  it.each([
    ['category', (v: Values) => v.Category],
    ['fulfilment', (v: Values) => v.Fulfilment],
    ['b2b', (v: Values) => (v.B2B === 'True' ? 'B2B' : 'B2C')],
    ['month', (v: Values) => `20${v.Date.slice(6, 8)}-${v.Date.slice(0, 2)}`],
  ])('by %s: the KPIs computed from the report', async (group_by, key) => {
    const rows = await job({ ...range, group_by });
    const want = expected(key);
    expect(rows.map(({ average_order_value_cents: _a, share_of_revenue: _s, ...r }) => r)).toEqual(want);
    const total = want.reduce((s, w) => s + w.revenue_cents, 0);
    for (const [i, w] of want.entries()) {
      expect(rows[i]?.share_of_revenue as number).toBeCloseTo(w.revenue_cents / total, 10);
      expect(rows[i]?.average_order_value_cents as number).toBeCloseTo(w.revenue_cents / w.orders, 6);
    }
  });

  it('counts only the order dates of the range, and no other channel', async () => {
    const april = (v: Values) => v.Date.startsWith('04-');
    const rows = await job({ from: '2022-04-01', to: '2022-04-30', group_by: 'channel', channels: ['amazon'] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ group_value: 'amazon', records: good.filter(april).length });
    expect(await job({ ...range, channels: ['shop'] })).toEqual([]);
  });
});
