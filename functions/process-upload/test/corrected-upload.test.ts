import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parquetToRows } from '@tillflow/columnar';
import { processedKey, summarizeStoreDay, validateRecords } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodLine } from './hostile-corpus';

let platform: Platform;
beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

const DATE = '2025-10-29';
/** A line of transaction `tx`: `n` units of one of five products, with or without a fault. */
const line = fc.record({
  tx: fc.integer({ min: 1, max: 8 }),
  product: fc.integer({ min: 1, max: 5 }),
  units: fc.integer({ min: 1, max: 4 }),
  broken: fc.boolean(),
});
type Line = { tx: number; product: number; units: number; broken: boolean };
const record = (l: Line) =>
  goodLine(`T${l.tx}`, {
    item_sku: `SKU-${l.product}`,
    item_name: `Product ${l.product}`,
    quantity: l.units,
    unit_price: l.product,
    line_total: l.product * l.units,
    discount_amount: 0,
    ...(l.broken ? { quantity: 0 } : {}),
  });

describe('a corrected upload (issue 9, part 1)', () => {
  it('replaces the figures and the Parquet of the first version, never adds to them', async () => {
    let store = 7000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.array(line, { minLength: 1, maxLength: 30 }),
        async (first, corrected) => {
          const storeId = String(store++);
          const key = `uploads/store_${storeId}_${DATE}.json`;
          for (const version of [first, corrected]) {
            const body = JSON.stringify(version.map(record));
            await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
            await platform.waitForIdle();
          }
          const valid = validateRecords(corrected.map(record), { storeId, date: DATE }).rows;
          const item = await platform
            .documentClient()
            .send(new GetCommand({ TableName: 'tillflow-sales', Key: { PK: `STORE#${storeId}`, SK: `DATE#${DATE}` } }));
          if (valid.length === 0) {
            // A corrected file with no valid line is rejected whole: the first version's figures stay.
            expect(platform.executions({ machine: 'upload-processor' }).every((r) => r.status === 'SUCCEEDED')).toBe(
              true,
            );
            return;
          }
          const expected = summarizeStoreDay(storeId, DATE, valid);
          expect(item.Item).toMatchObject({
            net_sales: expected.net_sales,
            lines: expected.lines,
            items: expected.items,
          });
          const out = await platform
            .s3Client()
            .send(new GetObjectCommand({ Bucket: platform.bucket, Key: processedKey({ storeId, date: DATE }) }));
          expect(
            parquetToRows(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
          ).toEqual(valid);
        },
      ),
      { numRuns: 8 },
    );
  }, 300_000);
});
