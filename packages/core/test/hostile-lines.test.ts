import { describe, expect, it } from 'vitest';
import { RejectionLog, STORE_FILE_LIMITS, StoreFileReader, validateStoreFile } from '../src/store-file';

const storeDay = { storeId: '0001', date: '2025-10-29' };
const good = {
  transaction_id: 'T1',
  transaction_timestamp: '2025-10-29T09:00:17Z',
  item_sku: 'SKU-1',
  item_name: 'Keychain',
  quantity: 2,
  unit_price: 7.69,
  line_total: 15.38,
  discount_amount: 1.16,
  payment_method: 'cash',
  customer_id: 'CUST-1',
};
const withLine = (line: string) =>
  `[${JSON.stringify(good)},${line},${JSON.stringify({ ...good, transaction_id: 'T3' })}]`;

/** The reasons of line 2 of a file whose lines 1 and 3 are good (both must be accepted). */
function reasonsOfLine2(line: string) {
  const { rows, rejected, lines } = validateStoreFile(withLine(line), storeDay);
  expect(lines).toBe(3);
  expect(rows.map((r) => r.transaction_id)).toEqual(['T1', 'T3']);
  expect(rejected.map((r) => r.line)).toEqual([2]);
  return rejected[0]?.reasons.map((r) => [r.field, r.rule]);
}

describe('hostile lines (issue 9, part 1): each is rejected alone, naming its field', () => {
  it('a line nested 10,000 levels deep, inside a field', () => {
    expect(reasonsOfLine2(`{"item_name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)).toEqual([
      ['item_name', 'nesting'],
    ]);
  });
  it('a line that is itself 10,000 arrays deep', () => {
    expect(reasonsOfLine2(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toEqual([['(record)', 'nesting']]);
  });
  it('a whole file nested 10,000 levels deep is one rejected line, not a crash', () => {
    const { rows, rejected } = validateStoreFile(`[${'['.repeat(10_000)}${']'.repeat(10_000)}]`, storeDay);
    expect(rows).toEqual([]);
    expect(rejected).toMatchObject([{ line: 1, reasons: [{ field: '(record)', rule: 'nesting' }] }]);
  });
  it('a lone surrogate in a string field', () => {
    expect(reasonsOfLine2(JSON.stringify({ ...good, item_name: 'bad \ud800 name' }))).toEqual([
      ['item_name', 'unicode'],
    ]);
  });
  it('a quantity of 2^31 and a unit_price of 1e17', () => {
    expect(reasonsOfLine2(JSON.stringify({ ...good, quantity: 2 ** 31 }))).toContainEqual(['quantity', 'maximum']);
    expect(reasonsOfLine2(JSON.stringify({ ...good, unit_price: 1e17 }))).toContainEqual(['unit_price', 'maximum']);
  });
  it('a 10 MB item_name', () => {
    expect(reasonsOfLine2(JSON.stringify({ ...good, item_name: 'x'.repeat(10_000_000) }))).toEqual([
      ['item_name', 'line_size'],
    ]);
  });
  it('an item_name over its length bound, within the line bound', () => {
    expect(reasonsOfLine2(JSON.stringify({ ...good, item_name: 'x'.repeat(257) }))).toEqual([
      ['item_name', 'max_length'],
    ]);
  });
  it('unknown fields named "", "unit/price" and "~discount", by their own names', () => {
    expect(reasonsOfLine2(JSON.stringify({ ...good, '': 1, 'unit/price': 2, '~discount': 3 }))).toEqual([
      ['', 'unknown_field'],
      ['unit/price', 'unknown_field'],
      ['~discount', 'unknown_field'],
    ]);
  });
  it('a schema fault and a timestamp without offset: both reasons', () => {
    expect(
      reasonsOfLine2(JSON.stringify({ ...good, quantity: 'two', transaction_timestamp: '2025-10-29T09:00:17' })),
    ).toEqual([
      ['quantity', 'type'],
      ['transaction_timestamp', 'timestamp'],
    ]);
  });
  it('a line that is not JSON', () => {
    expect(reasonsOfLine2('{"transaction_id": tru}')).toEqual([['(record)', 'not_json']]);
  });
});

describe('the rejection log', () => {
  it('keeps a million empty objects to the first lines in full and counts the rest by rule', () => {
    const log = new RejectionLog();
    let rows = 0;
    const reader = new StoreFileReader(storeDay, { row: () => rows++, reject: (line) => log.add(line) });
    reader.push(new TextEncoder().encode(`[${Array.from({ length: 1_000_000 }, () => '{}').join(',')}]`));
    expect(reader.end().lines).toBe(1_000_000);
    expect(rows).toBe(0);
    expect(log.total).toBe(1_000_000);
    expect(log.records).toHaveLength(STORE_FILE_LIMITS.reportLines);
    expect(log.reasons()).toHaveLength(10);
    expect(log.reasons().every((r) => r.rule === 'required' && r.lines === 1_000_000 && r.first_line === 1)).toBe(true);
  }, 60_000);
});
