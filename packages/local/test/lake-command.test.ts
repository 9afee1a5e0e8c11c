import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsToParquet } from '@tillflow/columnar';
import { type CanonicalRow, validateRecords } from '@tillflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/command';
import { lakePartitions, queryLake } from '../src/cli/lake-command';
import { sampleFile } from './analysis-helpers';

/** `tillflow lake` over a state folder laid out as s3rver keeps the lake: `<key>._S3rver_object` under s3/<bucket>/. */
let stateDir: string;
const rows = new Map<string, CanonicalRow[]>();

beforeAll(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'tillflow-lake-'));
  for (const [storeId, date] of [
    ['0001', '2025-10-27'],
    ['0002', '2025-10-27'],
    ['0001', '2025-10-28'],
  ] as const) {
    const valid = validateRecords(JSON.parse(sampleFile(storeId, date)), { storeId, date }).rows;
    rows.set(`${storeId} ${date}`, valid);
    const dir = join(stateDir, 's3', 'tillflow-local', 'processed', 'sales', `date=${date}`, `store=${storeId}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `store_${storeId}_${date}.parquet._S3rver_object`), rowsToParquet(valid));
    writeFileSync(join(dir, `store_${storeId}_${date}.parquet._S3rver_metadata.json`), '{}');
  }
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

async function lake(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(['lake', '--state-dir', stateDir, ...args], {
    output: { out: (l) => out.push(l), err: (l) => err.push(l) },
  });
  return { code, out, err };
}

const cents = (list: CanonicalRow[], pick: (r: CanonicalRow) => number) => list.reduce((n, r) => n + pick(r), 0);

describe('tillflow lake', () => {
  it('lists the partition files of a date and a store', async () => {
    expect(lakePartitions(stateDir).map((p) => `${p.date} ${p.store}`)).toEqual([
      '2025-10-27 0001',
      '2025-10-27 0002',
      '2025-10-28 0001',
    ]);
    const listed = await lake('--date', '2025-10-27', '--store', '0002');
    expect(listed).toEqual({
      code: 0,
      out: [
        join(
          stateDir,
          's3/tillflow-local/processed/sales/date=2025-10-27/store=0002/store_0002_2025-10-27.parquet._S3rver_object',
        ),
      ],
      err: [],
    });
  });

  it('runs a DuckDB query over the view sales, discounts included', async () => {
    const day = [...(rows.get('0001 2025-10-27') ?? []), ...(rows.get('0002 2025-10-27') ?? [])];
    const result = await lake(
      '--date',
      '2025-10-27',
      '--sql',
      'SELECT count(*) AS lines, sum(line_total_cents) AS gross, sum(discount_cents) AS discounts FROM sales',
    );
    expect(result.code).toBe(0);
    expect(result.out[0]?.split(/\s+/)).toEqual(['lines', 'gross', 'discounts']);
    expect(result.out[2]?.trim().split(/\s+/)).toEqual(
      [day.length, cents(day, (r) => r.line_total_cents), cents(day, (r) => r.discount_cents)].map(String),
    );
    expect(cents(day, (r) => r.discount_cents)).toBeGreaterThan(0);
  });

  it('is read by DuckDB itself, every column of every row, as the project wrote it', async () => {
    const files = lakePartitions(stateDir).map((p) => p.path);
    const all = [...rows.values()].flat();
    const { rows: read } = await queryLake(
      files,
      'SELECT store_id, business_date, transaction_id, epoch_ms(timestamp_ms) AS ms, utc_offset_minutes, item_sku, item_name, ' +
        'quantity, unit_price_cents, line_total_cents, discount_cents, payment_method, customer_id FROM sales',
    );
    const key = (r: unknown[]) => r.map((v) => String(v)).join('|');
    const expected = all.map((r) =>
      key([
        r.store_id,
        r.business_date,
        r.transaction_id,
        r.timestamp_ms,
        r.utc_offset_minutes,
        r.item_sku,
        r.item_name,
        r.quantity,
        r.unit_price_cents,
        r.line_total_cents,
        r.discount_cents,
        r.payment_method,
        r.customer_id,
      ]),
    );
    expect(read.map(key).sort()).toEqual(expected.sort());
  });

  it('says what is wrong with a command line, a filter that matches nothing, or a query', async () => {
    expect(await lake('--date', '2025-13-01')).toMatchObject({ code: 2, err: [expect.stringContaining('--date')] });
    expect(await lake('--store', '3')).toMatchObject({ code: 2 });
    expect(await lake('--date', '2025-10-29')).toMatchObject({
      code: 1,
      err: [expect.stringContaining('no Parquet partition')],
    });
    expect(await lake('--sql', 'SELECT nope FROM sales')).toMatchObject({
      code: 1,
      err: [expect.stringContaining('nope')],
    });
  });
});
