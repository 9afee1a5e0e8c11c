import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rowsToParquet } from '@tillflow/columnar';
import type { CanonicalRow, StoreDayFigures } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

const row = (
  tx: string,
  hour: number,
  lineTotal: number,
  discount: number,
  method: CanonicalRow['payment_method'],
): CanonicalRow => ({
  store_id: '0004',
  business_date: '2025-10-29',
  transaction_id: tx,
  timestamp_ms: Date.UTC(2025, 9, 29, hour, 30),
  utc_offset_minutes: 0,
  item_sku: `SKU-${tx}`,
  item_name: `Item ${tx}`,
  quantity: 1,
  unit_price_cents: lineTotal,
  line_total_cents: lineTotal,
  discount_cents: discount,
  payment_method: method,
  customer_id: 'C',
});

describe('calculate-metrics', () => {
  it('computes the store-day figures from the Parquet of the day', async () => {
    const key = 'processed/sales/date=2025-10-29/store=0004/store_0004_2025-10-29.parquet';
    const rows = [row('A', 9, 1999, 199, 'cash'), row('B', 9, 501, 0, 'mobile'), row('C', 17, 1000, 100, 'cash')];
    await platform
      .s3Client()
      .send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: rowsToParquet(rows) }));
    const figures = (await platform.invoke('calculate-metrics', {
      processedKey: key,
      storeId: '0004',
      date: '2025-10-29',
    })) as StoreDayFigures;
    // gross 35.00, discounts 2.99, net 32.01 over 3 transactions → basket 10.67
    expect(figures).toMatchObject({
      store_id: '0004',
      gross_sales: 35,
      discounts: 2.99,
      net_sales: 32.01,
      transactions: 3,
      items: 3,
      lines: 3,
      avg_basket: 10.67,
    });
    expect(figures.payment_mix.cash).toEqual({ net_sales: 27, transactions: 2 });
    expect(figures.payment_mix.mobile).toEqual({ net_sales: 5.01, transactions: 1 });
    expect(figures.hourly[9]).toBe(23.01);
    expect(figures.hourly[17]).toBe(9);
    expect(figures.top_products[0]).toEqual({ sku: 'SKU-A', name: 'Item A', units: 1, net_sales: 18 });
  });

  it('fails with NotFoundError when the Parquet is missing', async () => {
    await expect(
      platform.invoke('calculate-metrics', {
        processedKey: 'processed/none.parquet',
        storeId: '0004',
        date: '2025-10-29',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
