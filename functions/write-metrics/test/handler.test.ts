import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { summarizeStoreDay } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

const figures = (netCents: number) =>
  summarizeStoreDay('0006', '2025-10-29', [
    {
      store_id: '0006',
      business_date: '2025-10-29',
      transaction_id: 'T',
      timestamp_ms: Date.UTC(2025, 9, 29, 12),
      utc_offset_minutes: 0,
      item_sku: 'S',
      item_name: 'N',
      quantity: 1,
      unit_price_cents: netCents,
      line_total_cents: netCents,
      discount_cents: 0,
      payment_method: 'credit',
      customer_id: 'C',
    },
  ]);

const event = (netCents: number, etag: string, sequencer: string) => ({
  figures: figures(netCents),
  sourceKey: 'uploads/store_0006_2025-10-29.json',
  etag,
  sequencer,
  rejectedLines: 0,
  eventTime: `2025-10-29T20:00:0${sequencer.length % 10}Z`,
});

async function stored() {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: 'STORE#0006', SK: 'DATE#2025-10-29' } }));
  return out.Item;
}

describe('write-metrics', () => {
  it('stores the summary under the store-day keys with its source', async () => {
    expect(await platform.invoke('write-metrics', event(1000, 'e1', '0A'))).toEqual({ replaced: false, stale: false });
    expect(await stored()).toMatchObject({
      GSI1PK: 'DATE#2025-10-29',
      GSI1SK: 'STORE#0006',
      net_sales: 10,
      source_etag: 'e1',
      rejected_lines: 0,
    });
  });

  it('writes the same item again for a duplicate, without calling it a replacement', async () => {
    const before = await stored();
    expect(await platform.invoke('write-metrics', event(1000, 'e1', '0A'))).toEqual({ replaced: false, stale: false });
    expect(await stored()).toEqual(before);
  });

  it('replaces the figures for a newer version of the file', async () => {
    expect(await platform.invoke('write-metrics', event(2500, 'e2', '0B'))).toEqual({ replaced: true, stale: false });
    expect(await stored()).toMatchObject({ net_sales: 25, source_etag: 'e2' });
  });

  it('keeps the newer figures when an older version arrives late', async () => {
    expect(await platform.invoke('write-metrics', event(700, 'e0', '09'))).toEqual({ replaced: false, stale: true });
    expect(await stored()).toMatchObject({ net_sales: 25, source_etag: 'e2' });
  });
});
