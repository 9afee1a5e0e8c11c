import { summarizeStoreDay, validateStoreFile } from '@tillflow/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertStoreFile, parquetToRows } from '../src';

const storeDay = { storeId: '0003', date: '2025-10-29' };
const METHODS = ['cash', 'credit', 'debit', 'gift_card', 'mobile'];

/** A store file of `n` lines (transactions of 1–3 lines), some of them broken when `bad` says so. */
function storeFile(n: number, bad: (i: number) => object | undefined = () => undefined): string {
  const lines: object[] = [];
  for (let i = 0; i < n; i++) {
    const tx = Math.floor(i / 3);
    const quantity = 1 + (i % 4);
    const unit = 100 + ((i * 37) % 900);
    lines.push({
      transaction_id: `TXN-${tx}`,
      transaction_timestamp: `2025-10-29T${String(8 + (tx % 12)).padStart(2, '0')}:${String(tx % 60).padStart(2, '0')}:00-05:00`,
      item_sku: `SKU-${i % 40}`,
      item_name: `Item ${i % 40} ☕`,
      quantity,
      unit_price: unit / 100,
      line_total: (unit * quantity) / 100,
      discount_amount: i % 5 === 0 ? 0.5 : 0,
      payment_method: METHODS[tx % 5],
      customer_id: `CUST-${tx % 97}`,
      ...bad(i),
    });
  }
  return JSON.stringify(lines, null, 2);
}

/** The bytes of `text` as a source cut into chunks of the given sizes (cycling). */
function source(text: string, sizes: number[]): () => AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return async function* () {
    let at = 0;
    for (let k = 0; at < bytes.length; k++) {
      const size = Math.max(1, sizes[k % sizes.length] ?? 65_536);
      yield bytes.slice(at, at + size);
      at += size;
    }
  };
}

describe('convertStoreFile (streamed)', () => {
  it('writes the rows validateStoreFile accepts, in row groups, with the same figures, however it is chunked', async () => {
    const text = storeFile(2_000, (i) => (i % 97 === 5 ? { quantity: -1 } : undefined));
    const reference = validateStoreFile(text, storeDay);
    const result = await convertStoreFile(source(text, [1_000, 7, 65_536]), storeDay, {
      maxBytes: 1e9,
      rowGroupRows: 700,
    });
    if (result.status !== 'converted') throw new Error(result.reason);
    expect(result.lines).toBe(2_000);
    expect(result.accepted + result.log.total).toBe(result.lines);
    expect(parquetToRows(result.parquet as Uint8Array)).toEqual(reference.rows);
    expect(result.figures).toEqual(summarizeStoreDay(storeDay.storeId, storeDay.date, reference.rows));
    expect(result.log.records.map((r) => r.line)).toEqual(reference.rejected.map((r) => r.line));
  });

  it('rejects every line of a transaction mixing payment methods, found after its first lines were written', async () => {
    const text = storeFile(1_500, (i) =>
      i === 1_400 ? { transaction_id: 'TXN-0', payment_method: 'mobile' } : undefined,
    );
    const result = await convertStoreFile(source(text, [4_096]), storeDay, { maxBytes: 1e9, rowGroupRows: 100 });
    if (result.status !== 'converted') throw new Error(result.reason);
    expect(result.passes).toBe(2);
    expect(result.log.records.map((r) => [r.line, r.reasons[0]?.rule])).toEqual([
      [1, 'mixed_payment'],
      [2, 'mixed_payment'],
      [3, 'mixed_payment'],
      [1_401, 'mixed_payment'],
    ]);
    expect(parquetToRows(result.parquet as Uint8Array).some((r) => r.transaction_id === 'TXN-0')).toBe(false);
  });

  it('rejects a file whole when it turns out longer than the limit while it is read', async () => {
    const text = storeFile(500);
    const result = await convertStoreFile(source(text, [10_000]), storeDay, { maxBytes: 50_000 });
    expect(result).toEqual({ status: 'rejected', reason: 'the file is over the limit of 50000 bytes' });
  });

  it('counts every line once: accepted + rejected = lines, for any mix of good and broken lines', async () => {
    const breakers = [
      { quantity: 0 },
      { item_name: '' },
      { payment_method: 'iou' },
      { extra: 1 },
      { unit_price: 1e17 },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(12), { minLength: 1, maxLength: 60 }), fc.nat(5_000), async (marks, chunk) => {
        const text = storeFile(marks.length, (i) => breakers[marks[i] as number]);
        const result = await convertStoreFile(source(text, [chunk + 1]), storeDay, { maxBytes: 1e9, rowGroupRows: 16 });
        if (result.status !== 'converted') throw new Error(result.reason);
        expect(result.accepted + result.log.total).toBe(marks.length);
        expect(result.lines).toBe(marks.length);
      }),
      { numRuns: 60 },
    );
  });

  it('gives figures that do not depend on the order of the lines', async () => {
    const lines = JSON.parse(storeFile(300)) as object[];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(lines, { minLength: lines.length }), async (shuffled) => {
        const convert = async (items: object[]) => {
          const result = await convertStoreFile(source(JSON.stringify(items), [8_192]), storeDay, { maxBytes: 1e9 });
          if (result.status !== 'converted') throw new Error(result.reason);
          return result.figures;
        };
        expect(await convert(shuffled)).toEqual(await convert(lines));
      }),
      { numRuns: 15 },
    );
  });
});
