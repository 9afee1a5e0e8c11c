import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { summarizeStoreDay, type UploadQuality, uploadQualityKey } from '@tillflow/core';
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

const quality = (accepted: number): UploadQuality => ({
  lines: accepted + 1,
  accepted,
  rejected: 1,
  reasons: [{ field: 'quantity', rule: 'minimum', lines: 1 }],
  duplicate_transactions: { transactions: 0, examples: [] },
  prefix_mismatches: { transactions: 1, lines: 1, examples: ['T'] },
});

/** Event times in sequencer order, so that a later version is also a later upload. */
const eventTime = (sequencer: string) => `2025-10-29T20:00:${String(Number.parseInt(sequencer, 16)).padStart(2, '0')}Z`;

const event = (netCents: number, etag: string, sequencer: string) => ({
  figures: figures(netCents),
  sourceKey: 'uploads/store_0006_2025-10-29.json',
  etag,
  sequencer,
  rejectedLines: 1,
  eventTime: eventTime(sequencer),
  quality: quality(1),
});

async function record(etag: string, sequencer: string, store = '0006') {
  const key = uploadQualityKey(store, '2025-10-29', eventTime(sequencer), etag);
  const out = await platform.documentClient().send(new GetCommand({ TableName: platform.tables.sales, Key: key }));
  return out.Item;
}

async function stored() {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: 'STORE#0006', SK: 'DATE#2025-10-29' } }));
  return out.Item;
}

describe('write-metrics', () => {
  it('stores the summary under the store-day keys with its source', async () => {
    expect(await platform.invoke('write-metrics', event(1000, 'e1', '0A'))).toEqual({
      replaced: false,
      stale: false,
      quality_recorded: true,
    });
    expect(await stored()).toMatchObject({
      GSI1PK: 'DATE#2025-10-29',
      GSI1SK: 'STORE#0006',
      net_sales: 10,
      source_etag: 'e1',
      rejected_lines: 1,
    });
    expect(await record('e1', '0A')).toEqual({
      PK: 'DAY#2025-10-29',
      SK: `UPLOAD#0006#${eventTime('0A')}#e1`,
      entity: 'UPLOAD_QUALITY',
      store_id: '0006',
      date: '2025-10-29',
      source_key: 'uploads/store_0006_2025-10-29.json',
      etag: 'e1',
      uploaded_at: eventTime('0A'),
      status: 'processed',
      ...quality(1),
    });
  });

  it('writes the same item again for a duplicate, without calling it a replacement', async () => {
    const [before, beforeRecord] = [await stored(), await record('e1', '0A')];
    expect(await platform.invoke('write-metrics', event(1000, 'e1', '0A'))).toEqual({
      replaced: false,
      stale: false,
      quality_recorded: false,
    });
    expect(await stored()).toEqual(before);
    expect(await record('e1', '0A')).toEqual(beforeRecord);
  });

  it('replaces the figures for a newer version of the file', async () => {
    const previous = { etag: 'e1', uploaded_at: eventTime('0A') };
    expect(await platform.invoke('write-metrics', event(2500, 'e2', '0B'))).toEqual({
      replaced: true,
      stale: false,
      previous,
      quality_recorded: true,
    });
    expect(await stored()).toMatchObject({ net_sales: 25, source_etag: 'e2' });
    expect(await record('e2', '0B')).toMatchObject({ status: 'processed', replaced: previous });
  });

  it('keeps the newer figures when an older version arrives late', async () => {
    expect(await platform.invoke('write-metrics', event(700, 'e0', '09'))).toEqual({
      replaced: false,
      stale: true,
      quality_recorded: true,
    });
    expect(await stored()).toMatchObject({ net_sales: 25, source_etag: 'e2' });
    expect(await record('e0', '09')).toMatchObject({ status: 'stale' });
    expect((await record('e0', '09'))?.replaced).toBeUndefined();
  });

  it('records only the quality of a store-day file rejected whole', async () => {
    const rejected = {
      storeId: '0007',
      date: '2025-10-29',
      sourceKey: 'uploads/store_0007_2025-10-29.json',
      etag: 'r1',
      sequencer: '0C',
      eventTime: eventTime('0C'),
      quality: { ...quality(0), reason: 'no line of the file is valid' },
    };
    expect(await platform.invoke('write-metrics', rejected)).toEqual({
      replaced: false,
      stale: false,
      quality_recorded: true,
    });
    expect(await record('r1', '0C', '0007')).toMatchObject({
      status: 'rejected',
      lines: 1,
      accepted: 0,
      reason: 'no line of the file is valid',
    });
    const summary = await platform
      .documentClient()
      .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: 'STORE#0007', SK: 'DATE#2025-10-29' } }));
    expect(summary.Item).toBeUndefined();
  });

  it('refuses an event that carries neither figures nor a store-day', async () => {
    const { figures: _f, ...incomplete } = event(100, 'e9', '0D');
    await expect(platform.invoke('write-metrics', incomplete)).rejects.toThrow();
  });
});
