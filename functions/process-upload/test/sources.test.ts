import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parquetToMarketplaceRows, parquetToRows } from '@tillflow/columnar';
import { MARKETPLACE_COLUMNS } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;
beforeAll(async () => {
  // The S3 rules on: each upload runs upload-processor, as in AWS.
  platform = await startTestPlatform();
});
afterAll(() => platform?.stop());

async function put(key: string, body: string | Uint8Array) {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  await platform
    .s3Client()
    .send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body, ContentLength: length }));
}

/** Uploads `body` at `key` and returns the output of the workflow it starts. */
async function uploadAndRun(key: string, body: string | Uint8Array) {
  const before = platform.executions({ machine: 'upload-processor' }).length;
  await put(key, body);
  await platform.waitForIdle();
  const execution = platform.executions({ machine: 'upload-processor' })[before];
  expect(execution?.status, execution?.cause).toBe('SUCCEEDED');
  return JSON.parse(execution?.output ?? '{}');
}

async function read(key: string): Promise<Uint8Array> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return out.Body!.transformToByteArray();
}
const readJson = async (key: string) => JSON.parse(new TextDecoder().decode(await read(key)));

async function list(prefix: string): Promise<string[]> {
  const out = await platform.s3Client().send(new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key as string).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Marketplace reports written by hand, with the cases a CSV library exists for.

const header = [
  'index',
  ...MARKETPLACE_COLUMNS.map((c) => (c === 'Sales Channel' ? 'Sales Channel ' : c)),
  'Unnamed: 22',
];
function line(index: number, v: Partial<Record<(typeof MARKETPLACE_COLUMNS)[number], string>>): string[] {
  const base: Record<string, string> = {
    'Order ID': `405-0000000-${String(index).padStart(7, '0')}`,
    Date: '04-30-22',
    Status: 'Shipped',
    Fulfilment: 'Amazon',
    'Sales Channel': 'Amazon.in',
    'ship-service-level': 'Expedited',
    Style: 'JNE3781',
    SKU: 'JNE3781-KR-XXXL',
    Category: 'kurta',
    Size: '3XL',
    ASIN: 'B09K3WFS32',
    'Courier Status': 'Shipped',
    Qty: '1',
    currency: 'INR',
    Amount: '406.0',
    'ship-city': 'BENGALURU',
    'ship-state': 'KARNATAKA',
    'ship-postal-code': '560085.0',
    'ship-country': 'IN',
    'promotion-ids': '',
    B2B: 'False',
    'fulfilled-by': '',
  };
  return [String(index), ...MARKETPLACE_COLUMNS.map((c) => v[c] ?? (base[c] as string)), ''];
}
const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
const csv = (rows: string[][], eol = '\r\n') => `\uFEFF${rows.map((r) => r.map(quote).join(',')).join(eol)}${eol}`;

describe('marketplace report edge cases', () => {
  it('reads quoted fields with commas, quotes and line breaks, a BOM, CRLF and a trailing-space header', async () => {
    const promotions = 'Amazon PLCC Free-Financing Universal Merchant AAT-WNKTBO3K27EJC,\r\nIN Core "Free" Shipping';
    const body = csv([
      header,
      line(0, { 'promotion-ids': promotions, Amount: '647.62', B2B: 'True' }),
      line(1, { Status: 'Cancelled', Amount: '', currency: '', Qty: '0', 'Order ID': '171-0000000-0000001' }),
      line(2, { 'ship-city': 'NEW DELHI, SOUTH', 'ship-state': 'DELHI', Date: '05-01-22' }),
      line(3, { Amount: '12,50' }),
      [...line(4, {}), 'extra'],
      line(5, { Fulfilment: 'merchant', 'fulfilled-by': 'Easy Ship', Date: '05-01-22' }),
    ]);
    const out = await uploadAndRun('uploads/marketplace/amazon/edge.csv', body);
    expect(out).toMatchObject({
      status: 'processed',
      report: 'amazon/edge',
      lines: 6,
      accepted: 4,
      rejected: 2,
      partitions: 2,
    });

    const [april, may] = await list('processed/marketplace/channel=amazon/');
    expect(april).toBe('processed/marketplace/channel=amazon/date=2022-04-30/edge.parquet');
    expect(may).toBe('processed/marketplace/channel=amazon/date=2022-05-01/edge.parquet');
    const aprilRows = parquetToMarketplaceRows(await read(april as string));
    expect(aprilRows.map((r) => [r.order_id, r.promotion_ids, r.amount_cents, r.b2b])).toEqual([
      ['405-0000000-0000000', promotions, 64762, true],
      ['171-0000000-0000001', null, null, false],
    ]);
    const mayRows = parquetToMarketplaceRows(await read(may as string));
    expect(mayRows.map((r) => [r.ship_city, r.fulfilment, r.fulfilled_by])).toEqual([
      ['NEW DELHI, SOUTH', 'Amazon', null],
      ['BENGALURU', 'Merchant', 'Easy Ship'],
    ]);

    const rejected = await readJson('rejected/marketplace/channel=amazon/edge.rejected.json');
    // The store file's report shape: counts by field and rule, then the lines in full.
    expect(rejected).toMatchObject({ lines: 6, accepted: 4, rejected: 2, records_omitted: 0 });
    expect(rejected.reasons).toEqual([
      { field: 'Amount', rule: 'two_decimals', lines: 1, first_line: 4, message: expect.any(String) },
      { field: '(record)', rule: 'invalid', lines: 1, first_line: 5, message: expect.any(String) },
    ]);
    expect(rejected.records.map((r: { line: number; reasons: unknown }) => [r.line, r.reasons])).toEqual([
      [
        4,
        [{ field: 'Amount', rule: 'two_decimals', message: '"12,50" is not an amount ≥ 0 with at most two decimals' }],
      ],
      [5, [{ field: '(record)', rule: 'invalid', message: 'has 25 fields where the header has 24' }]],
    ]);
    expect(rejected.records[0].record['Sales Channel']).toBe('Amazon.in');

    // 647.62 + 406.00 + 406.00 over 3 active orders; the cancelled line counts in metadata only.
    const summary = await readJson('summaries/marketplace/channel=amazon/edge.json');
    expect(summary.kpis).toMatchObject({
      total_revenue: 1459.62,
      total_orders: 3,
      average_order_value: 486.54,
      b2b_revenue: 647.62,
    });
    expect(summary.metadata).toMatchObject({
      total_records: 4,
      active_records: 3,
      cancelled_records: 1,
      rejected_records: 2,
    });
  });

  it('replaces a re-uploaded report: the days it no longer has leave the lake', async () => {
    await uploadAndRun(
      'uploads/marketplace/shop/r.csv',
      csv([header, line(0, {}), line(1, { Date: '05-02-22' })], '\n'),
    );
    expect(await list('processed/marketplace/channel=shop/')).toHaveLength(2);
    const out = await uploadAndRun('uploads/marketplace/shop/r.csv', csv([header, line(0, { Amount: '10.0' })], '\n'));
    expect(out).toMatchObject({ status: 'processed', accepted: 1, partitions: 1 });
    expect(await list('processed/marketplace/channel=shop/')).toEqual([
      'processed/marketplace/channel=shop/date=2022-04-30/r.parquet',
    ]);
    expect((await readJson('summaries/marketplace/channel=shop/r.json')).kpis.total_revenue).toBe(10);
  });

  it.each([
    [
      'a header without Amount',
      csv([header.filter((h) => h !== 'Amount'), line(0, {})]),
      /lacks the marketplace report column\(s\) Amount/,
    ],
    ['a quote never closed', `${header.join(',')}\n1,"405-1,04-30-22\n`, /not readable CSV: .*Quote Not Closed/i],
    ['bytes that are not UTF-8', new Uint8Array([0x4f, 0x72, 0xff, 0xfe, 0x0a]), /not UTF-8/],
    ['a header and no lines', `${header.join(',')}\n`, /no order lines/],
    ['nothing at all', '', /empty/],
  ])('rejects %s whole, with the reason', async (_what, body, reason) => {
    const name = `bad-${Math.random().toString(36).slice(2, 8)}`;
    const out = await uploadAndRun(`uploads/marketplace/amazon/${name}.csv`, body);
    expect(out).toMatchObject({ status: 'rejected', lines: 0, accepted: 0, rejected: 0 });
    expect(out.reason).toMatch(reason);
    const report = await readJson(`rejected/marketplace/channel=amazon/${name}.rejected.json`);
    expect(report.reason).toBe(out.reason);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A mapped POS export: German headers, `;`, decimal commas, DD.MM.YYYY, payment codes.

const mapping = {
  source: 'kassa',
  delimiter: ';',
  decimal_separator: ',',
  thousands_separator: '.',
  timestamp: { column: 'Datum', time_column: 'Uhrzeit', format: 'DD.MM.YYYY HH:mm', utc_offset: '+01:00' },
  columns: {
    transaction_id: 'Bon-Nr',
    item_sku: 'Artikelnummer',
    item_name: 'Bezeichnung',
    quantity: 'Menge',
    unit_price: 'Einzelpreis',
    line_total: 'Gesamtpreis',
    discount_amount: 'Rabatt',
    payment_method: 'Zahlart',
  },
  payment_methods: { BAR: 'cash', EC: 'debit', KREDITKARTE: 'credit' },
  defaults: { customer_id: 'ANONYM' },
};
const exportCsv = [
  'Bon-Nr;Datum;Uhrzeit;Artikelnummer;Bezeichnung;Menge;Einzelpreis;Gesamtpreis;Rabatt;Zahlart',
  'B-1;29.10.2025;09:15;SKU-1;"Kaffee; gemahlen";2;1.234,56;2.469,12;0,50;BAR',
  'B-1;29.10.2025;09:15;SKU-2;Milch;1;0,99;0,99;;bar',
  'B-2;29.10.2025;23:30;SKU-3;Tee;3;2,00;6,00;0;EC',
  'B-3;29.10.2025;10:00;SKU-1;Kaffee;1;1,00;1,00;0;SCHECK',
  'B-4;30.10.2025;08:00;SKU-1;Kaffee;1;1,00;1,00;0;EC',
  'B-5;29.10.2025;11:00;SKU-1;Kaffee;2;1,00;5,00;0;EC',
  'B-6;29.10.2025;12:00;SKU-1;Kaffee;zwei;1,00;2,00;0;EC',
].join('\r\n');

describe('a mapped POS export', () => {
  it('becomes canonical rows of its store-day with the mapping, and runs the store-day steps like a store file', async () => {
    await put('mappings/kassa.json', JSON.stringify(mapping));
    const out = await uploadAndRun('uploads/kassa/store_0004_2025-10-29.csv', exportCsv);
    expect(out).toMatchObject({
      status: 'processed',
      storeId: '0004',
      date: '2025-10-29',
      lines: 7,
      accepted: 3,
      rejected: 4,
    });
    const rows = parquetToRows(await read('processed/sales/date=2025-10-29/store=0004/store_0004_2025-10-29.parquet'));
    // 09:15 at +01:00 is 08:15Z; 1.234,56 is 123456 cents.
    expect(rows).toEqual([
      {
        store_id: '0004',
        business_date: '2025-10-29',
        transaction_id: 'B-1',
        timestamp_ms: Date.UTC(2025, 9, 29, 8, 15),
        utc_offset_minutes: 60,
        item_sku: 'SKU-1',
        item_name: 'Kaffee; gemahlen',
        quantity: 2,
        unit_price_cents: 123456,
        line_total_cents: 246912,
        discount_cents: 50,
        payment_method: 'cash',
        customer_id: 'ANONYM',
      },
      expect.objectContaining({
        transaction_id: 'B-1',
        item_name: 'Milch',
        unit_price_cents: 99,
        discount_cents: 0,
        payment_method: 'cash',
      }),
      expect.objectContaining({ transaction_id: 'B-2', quantity: 3, line_total_cents: 600, payment_method: 'debit' }),
    ]);
    const rejected = await readJson('rejected/date=2025-10-29/store=0004/store_0004_2025-10-29.rejected.json');
    expect(
      rejected.records.map((r: { line: number; reasons: { field: string }[] }) => [
        r.line,
        r.reasons.map((x) => x.field),
      ]),
    ).toEqual([
      [4, ['Zahlart']],
      [5, ['transaction_timestamp']],
      [6, ['line_total']],
      [7, ['Menge']],
    ]);
    expect(rejected.records[0].record).toMatchObject({ 'Bon-Nr': 'B-3', Zahlart: 'SCHECK' });
    // The store-day steps ran: the store's summary is in the table, from the mapped rows (2,469.12 + 0.99 + 6.00 − 0.50).
    expect(out).toMatchObject({ reported: expect.any(Number) });
    const item = await platform.dynamoClient().send(
      new GetItemCommand({
        TableName: platform.tables.sales,
        Key: { PK: { S: 'STORE#0004' }, SK: { S: 'DATE#2025-10-29' } },
      }),
    );
    expect(item.Item?.net_sales?.N).toBe('2475.61');
    expect(item.Item?.transactions?.N).toBe('2');
    // Its quality record, as a store file's: 4 of 7 lines rejected, one reason each; B-1 and B-2 do not have the
    // store file's TXN-0004- prefix (data_integrity's store_prefix_mismatch flags them the same way).
    const records = await platform.documentClient().send(
      new QueryCommand({
        TableName: platform.tables.sales,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': 'DAY#2025-10-29', ':sk': 'UPLOAD#0004#' },
      }),
    );
    expect(records.Items).toEqual([
      expect.objectContaining({
        status: 'processed',
        lines: 7,
        accepted: 3,
        rejected: 4,
        reasons: expect.arrayContaining([{ field: 'Zahlart', rule: 'enum', lines: 1 }]),
        duplicate_transactions: { transactions: 0, examples: [] },
        prefix_mismatches: { transactions: 2, lines: 3, examples: ['B-1', 'B-2'] },
      }),
    ]);
  });

  it.each([
    [
      'no mapping',
      'nomap',
      undefined,
      /there is no mapping for source nomap: put one at s3:\/\/.*\/mappings\/nomap\.json/,
    ],
    ['a mapping that is not JSON', 'broken', '{', /mappings\/broken\.json is not valid JSON/],
    ['a mapping of another source', 'other', JSON.stringify(mapping), /declares source "kassa"/],
    [
      'a mapping without the timestamp',
      'notime',
      JSON.stringify({ ...mapping, source: 'notime', timestamp: undefined }),
      /not valid/,
    ],
    [
      'a format without minutes',
      'nomin',
      JSON.stringify({ ...mapping, source: 'nomin', timestamp: { ...mapping.timestamp, format: 'DD.MM.YYYY HH' } }),
      /needs YYYY \(or YY\), MM, DD, HH and mm/,
    ],
  ])('rejects the export whole when there is %s', async (_what, source, content, reason) => {
    if (content !== undefined) await put(`mappings/${source}.json`, content);
    const out = await uploadAndRun(`uploads/${source}/store_0005_2025-10-29.csv`, exportCsv);
    expect(out).toMatchObject({ status: 'rejected', accepted: 0 });
    expect(out.reason).toMatch(reason);
  });

  it('takes the sample mapping and export of sample-data/ (docs/operations.md), rejecting the unknown payment code', async () => {
    const sample = join(import.meta.dirname, '..', '..', '..', 'sample-data');
    await put('mappings/kassa.json', readFileSync(join(sample, 'mappings', 'kassa.json')));
    const body = readFileSync(join(sample, 'exports', 'kassa', 'store_0012_2025-11-02.csv'));
    const out = await uploadAndRun('uploads/kassa/store_0012_2025-11-02.csv', body);
    expect(out).toMatchObject({ status: 'processed', storeId: '0012', lines: 5, accepted: 4, rejected: 1 });
    const rows = parquetToRows(await read('processed/sales/date=2025-11-02/store=0012/store_0012_2025-11-02.parquet'));
    expect(
      rows.map((r) => [r.item_name, r.line_total_cents, r.discount_cents, r.payment_method, r.customer_id]),
    ).toEqual([
      ['Schlumpfine Schlüsselanhänger', 1538, 116, 'cash', 'ANONYM'],
      ['Tasse "Papa Schlumpf"; 300 ml', 1299, 0, 'cash', 'ANONYM'],
      ['Plüschfigur', 124900, 5000, 'credit', 'CUST-00388'],
      ['Schlumpfine Schlüsselanhänger', 2307, 0, 'debit', 'CUST-01022'],
    ]);
  });

  it('rejects an export whose header lacks a mapped column, naming it', async () => {
    await put('mappings/kassa.json', JSON.stringify(mapping));
    const out = await uploadAndRun('uploads/kassa/store_0006_2025-10-29.csv', exportCsv.replace('Zahlart', 'Payment'));
    expect(out.reason).toMatch(/lacks the column\(s\) Zahlart that the kassa mapping reads/);
  });
});
