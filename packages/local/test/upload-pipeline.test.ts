import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parquetToRows } from '@tillflow/columnar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, REPO_ROOT, startTestPlatform } from '../src';
import { STORES } from './analysis-helpers';

/**
 * Phase 1 end to end on the local platform: the real handlers through the real upload-processor.asl.json, S3 and
 * DynamoDB reached through the real SDK. Expected figures are computed here from the JSON, independently of
 * @tillflow/core's metric code.
 */
const sampleDir = join(REPO_ROOT, 'sample-data');
let platform: Platform;

interface Line {
  transaction_id: string;
  transaction_timestamp: string;
  item_sku: string;
  quantity: number;
  unit_price: number;
  line_total: number;
  discount_amount: number;
  payment_method: string;
  [field: string]: unknown;
}

function sample(store: string, date: string): Line[] {
  return JSON.parse(readFileSync(join(sampleDir, `store_${store}_${date}.json`), 'utf8')) as Line[];
}

const cents = (x: number) => Math.round(x * 100);

/** The store-day figures, computed the plain way. */
function expectedFigures(lines: Line[]) {
  let gross = 0;
  let discounts = 0;
  let items = 0;
  const tx = new Set<string>();
  const mix: Record<string, { net: number; tx: Set<string> }> = {};
  for (const l of lines) {
    gross += cents(l.line_total);
    discounts += cents(l.discount_amount);
    items += l.quantity;
    tx.add(l.transaction_id);
    mix[l.payment_method] ??= { net: 0, tx: new Set() };
    const m = mix[l.payment_method]!;
    m.net += cents(l.line_total) - cents(l.discount_amount);
    m.tx.add(l.transaction_id);
  }
  return {
    gross_sales: gross / 100,
    discounts: discounts / 100,
    net_sales: (gross - discounts) / 100,
    transactions: tx.size,
    items,
    lines: lines.length,
    avg_basket: Math.round((gross - discounts) / tx.size) / 100,
    payment_mix: Object.fromEntries(
      ['cash', 'credit', 'debit', 'gift_card', 'mobile'].map((k) => [
        k,
        { net_sales: (mix[k]?.net ?? 0) / 100, transactions: mix[k]?.tx.size ?? 0 },
      ]),
    ),
  };
}

/** An execution's output, parsed (the record keeps it as text, as DescribeExecution does). */
function outputOf(run: { output?: string } | undefined): Record<string, unknown> {
  return JSON.parse(run?.output ?? 'null') as Record<string, unknown>;
}

async function uploadViaApi(filename: string, body: string): Promise<{ key: string; uploadUrl: string }> {
  const res = await fetch(`${platform.endpoints.api}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename }),
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as {
    uploadUrl: string;
    key: string;
    expiresIn: number;
    headers: Record<string, string>;
  };
  expect(answer.expiresIn).toBeLessThanOrEqual(3600);
  const put = await fetch(answer.uploadUrl, { method: 'PUT', headers: answer.headers, body });
  expect(put.status).toBe(200);
  return answer;
}

async function summary(store: string, date: string) {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `STORE#${store}`, SK: `DATE#${date}` } }));
  return out.Item;
}

async function getBytes(key: string): Promise<Uint8Array> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

/** Everything the pipeline writes: every item of the sales table and every object's key and ETag. */
async function snapshot() {
  const items = await platform.documentClient().send(new ScanCommand({ TableName: platform.tables.sales }));
  const objects = await platform.s3Client().send(new ListObjectsV2Command({ Bucket: platform.bucket }));
  return {
    items: (items.Items ?? []).sort((a, b) => `${a.PK}${a.SK}`.localeCompare(`${b.PK}${b.SK}`)),
    objects: (objects.Contents ?? []).map((o) => ({ key: o.Key, etag: o.ETag, size: o.Size })),
  };
}

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.stop());

describe('upload pipeline', () => {
  const date = '2025-10-27';

  it('turns an upload through a presigned URL into a store summary equal to the figures of the file', async () => {
    const lines = sample('0001', date);
    await uploadViaApi(`store_0001_${date}.json`, JSON.stringify(lines));
    await platform.waitForIdle();

    const item = await summary('0001', date);
    expect(item).toMatchObject({
      ...expectedFigures(lines),
      source_key: `uploads/store_0001_${date}.json`,
      rejected_lines: 0,
    });
    expect(item?.hourly).toHaveLength(24);
    expect(item?.top_products.length).toBeGreaterThan(0);
    const [run] = platform.executions({ machine: 'upload-processor' });
    expect(run?.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toMatchObject({
      status: 'processed',
      lines: lines.length,
      accepted: lines.length,
      rejected: 0,
    });
  });

  it('writes Parquet that reads back as the same rows with the same sums', async () => {
    const lines = sample('0001', date);
    const rows = parquetToRows(await getBytes(`processed/sales/date=${date}/store=0001/store_0001_${date}.parquet`));
    expect(rows).toHaveLength(lines.length);
    expect(rows.map((r) => [r.transaction_id, r.item_sku, r.quantity, r.line_total_cents])).toEqual(
      lines.map((l) => [l.transaction_id, l.item_sku, l.quantity, cents(l.line_total)]),
    );
    expect(rows.reduce((s, r) => s + r.line_total_cents - r.discount_cents, 0)).toBe(
      lines.reduce((s, l) => s + cents(l.line_total) - cents(l.discount_amount), 0),
    );
    expect(rows.map((r) => r.timestamp_ms)).toEqual(lines.map((l) => Date.parse(l.transaction_timestamp)));
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const [first] = platform.executions({ machine: 'upload-processor' });
    const before = await snapshot();
    platform.startExecution('upload-processor', JSON.parse(first!.input));
    platform.startExecution('upload-processor', JSON.parse(first!.input));
    await platform.waitForIdle();
    const runs = platform.executions({ machine: 'upload-processor' });
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects exactly the 3 bad lines of a file, with their reasons, and processes the rest', async () => {
    const lines: unknown[] = sample('0002', date);
    lines[4] = { ...(lines[4] as Line), quantity: 0 };
    lines[9] = { ...(lines[9] as Line), payment_method: 'cheque' };
    const { customer_id: _gone, ...missing } = lines[14] as Line;
    lines[14] = missing;
    await uploadViaApi(`store_0002_${date}.json`, JSON.stringify(lines, null, 2));
    await platform.waitForIdle();

    const rejected = JSON.parse(
      new TextDecoder().decode(await getBytes(`rejected/date=${date}/store=0002/store_0002_${date}.rejected.json`)),
    ) as { lines: number; rejected: number; records: { line: number; reasons: { field: string }[] }[] };
    expect(rejected.records.map((r) => [r.line, r.reasons.map((x) => x.field)])).toEqual([
      [5, ['quantity']],
      [10, ['payment_method']],
      [15, ['customer_id']],
    ]);
    expect(rejected).toMatchObject({ lines: lines.length, rejected: 3 });
    const good = (lines as Line[]).filter((_, i) => ![4, 9, 14].includes(i));
    expect(await summary('0002', date)).toMatchObject({ ...expectedFigures(good), rejected_lines: 3 });
  });

  it('rejects a misnamed file and an unreadable one whole, with the reason', async () => {
    const s3 = platform.s3Client();
    await s3.send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'uploads/notes.txt', Body: 'hello' }));
    await uploadViaApi(`store_0003_${date}.json`, '[{"transaction_id": ');
    await platform.waitForIdle();

    const misnamed = JSON.parse(
      new TextDecoder().decode(await getBytes('rejected/unattributed/notes.txt.rejected.json')),
    );
    expect(misnamed.reason).toMatch(/not of the form store_<NNNN>_<YYYY-MM-DD>\.json/);
    const broken = JSON.parse(
      new TextDecoder().decode(await getBytes(`rejected/date=${date}/store=0003/store_0003_${date}.rejected.json`)),
    );
    expect(broken.reason).toMatch(/not valid JSON/);
    expect(await summary('0003', date)).toBeUndefined();
  });

  it('refuses an upload URL for a name that is not a store file, and the URL cannot write another key', async () => {
    const bad = await fetch(`${platform.endpoints.api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: '../processed/evil.json' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');

    const res = await fetch(`${platform.endpoints.api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'store_0004_2025-10-27.json' }),
    });
    const { uploadUrl, headers } = (await res.json()) as { uploadUrl: string; headers: Record<string, string> };
    const other = uploadUrl.replace('uploads/store_0004_2025-10-27.json', 'processed/store_0004_2025-10-27.json');
    const put = await fetch(other, { method: 'PUT', headers, body: '[]' });
    expect(put.status).toBe(403);
    const wrongType = await fetch(uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: '[]' });
    expect(wrongType.status).toBe(403);
  });

  it('replaces the figures of a store-day when a corrected file is uploaded', async () => {
    const day = '2025-10-28';
    const original = sample('0005', day);
    await uploadViaApi(`store_0005_${day}.json`, JSON.stringify(original));
    await platform.waitForIdle();
    const corrected = original.slice(0, Math.floor(original.length / 2));
    await uploadViaApi(`store_0005_${day}.json`, JSON.stringify(corrected));
    await platform.waitForIdle();

    expect(await summary('0005', day)).toMatchObject(expectedFigures(corrected));
    const last = platform.executions({ machine: 'upload-processor' }).at(-1);
    expect(outputOf(last)).toMatchObject({ status: 'processed', replaced: true, accepted: corrected.length });
  });

  it('claims the day exactly once when all 11 stores upload at the same moment', async () => {
    const day = '2025-10-29';
    const before = platform.executions({ machine: 'upload-processor' }).length;
    await Promise.all(STORES.map((s) => uploadViaApi(`store_${s}_${day}.json`, JSON.stringify(sample(s, day)))));
    await platform.waitForIdle();

    const runs = platform.executions({ machine: 'upload-processor' }).slice(before);
    expect(runs).toHaveLength(11);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const claims = runs.filter((r) => outputOf(r).claimed === true);
    expect(claims).toHaveLength(1);
    const status = await platform
      .documentClient()
      .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `DAY#${day}`, SK: 'STATUS' } }));
    expect([...((status.Item?.reported_stores ?? []) as Set<string>)].sort()).toEqual(STORES);
    expect(status.Item?.analysis_claimed_at).toBeTypeOf('string');
    expect(status.Item?.analysis_revision).toBe(1);
  }, 120_000);
});
