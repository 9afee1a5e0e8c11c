import { describe, expect, it } from 'vitest';
import { RejectedFileError, validateRecords, validateStoreFile } from '../src/store-file';

const storeDay = { storeId: '0001', date: '2025-10-29' };

/** The example line of shared/DESIGN.md, Input formats 1. */
const example = {
  transaction_id: 'TXN-0001-20251029-0036',
  transaction_timestamp: '2025-10-29T09:00:17Z',
  item_sku: 'SMURF-KEY-002',
  item_name: 'Smurfette Keychain',
  quantity: 2,
  unit_price: 7.69,
  line_total: 15.38,
  discount_amount: 1.16,
  payment_method: 'cash',
  customer_id: 'CUST-00388',
};

function reasonsFor(record: unknown) {
  const result = validateRecords([record], storeDay);
  expect(result.rows).toHaveLength(0);
  expect(result.rejected).toHaveLength(1);
  expect(result.rejected[0]?.line).toBe(1);
  return result.rejected[0]?.reasons ?? [];
}

describe('store file validation', () => {
  it('accepts the example line of the design and converts money to cents', () => {
    const { rows, rejected, lines } = validateStoreFile(JSON.stringify([example]), storeDay);
    expect(rejected).toEqual([]);
    expect(lines).toBe(1);
    expect(rows).toEqual([
      {
        store_id: '0001',
        business_date: '2025-10-29',
        transaction_id: 'TXN-0001-20251029-0036',
        timestamp_ms: Date.UTC(2025, 9, 29, 9, 0, 17),
        utc_offset_minutes: 0,
        item_sku: 'SMURF-KEY-002',
        item_name: 'Smurfette Keychain',
        quantity: 2,
        unit_price_cents: 769,
        line_total_cents: 1538,
        discount_cents: 116,
        payment_method: 'cash',
        customer_id: 'CUST-00388',
      },
    ]);
  });

  it.each([
    ['transaction_id', { transaction_id: '' }],
    ['item_sku', { item_sku: '' }],
    ['item_name', { item_name: 7 }],
    ['customer_id', { customer_id: '' }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: 1.5 }],
    ['unit_price', { unit_price: -1 }],
    ['unit_price', { unit_price: 7.691, line_total: 15.38 }],
    ['line_total', { line_total: 15.4 }],
    ['discount_amount', { discount_amount: 16 }],
    ['discount_amount', { discount_amount: -0.01 }],
    ['payment_method', { payment_method: 'cheque' }],
    ['transaction_timestamp', { transaction_timestamp: 'yesterday' }],
    ['transaction_timestamp', { transaction_timestamp: '2025-10-29T09:00:17' }],
    ['transaction_timestamp', { transaction_timestamp: '2025-10-30T09:00:17Z' }],
    ['transaction_timestamp', { transaction_timestamp: '2025-02-30T09:00:17Z' }],
  ])('rejects a line with a broken %s, naming the field', (field, change) => {
    const reasons = reasonsFor({ ...example, ...change });
    expect(reasons.map((r) => r.field)).toContain(field);
    expect(reasons.every((r) => r.message.length > 0)).toBe(true);
  });

  it('rejects a line whose line_total is not unit_price × quantity, and tolerates one cent', () => {
    expect(reasonsFor({ ...example, line_total: 15.4 })[0]?.message).toMatch(/unit_price × quantity/);
    expect(validateRecords([{ ...example, line_total: 15.39 }], storeDay).rows).toHaveLength(1);
  });

  it('rejects a missing field and an extra field by name', () => {
    const { customer_id: _drop, ...missing } = example;
    expect(reasonsFor(missing)).toEqual([{ field: 'customer_id', rule: 'required', message: 'is required' }]);
    expect(reasonsFor({ ...example, coupon: 'X' })).toEqual([
      { field: 'coupon', rule: 'unknown_field', message: 'is not a field of a store line item' },
    ]);
  });

  it('gives every reason of a line however many fields are wrong, one per field', () => {
    const unknown = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra_${i}`, i]));
    const broken = {
      transaction_id: 5,
      transaction_timestamp: 7,
      item_sku: '',
      item_name: null,
      quantity: 'two',
      unit_price: -1,
      line_total: 'x',
      discount_amount: [],
      payment_method: 'cheque',
      ...unknown,
    };
    const reasons = reasonsFor(broken);
    // The known fields' reasons first, then the unknown fields up to the cap of 20, then a count of the rest.
    expect(reasons.map((r) => r.field)).toEqual([
      'transaction_id',
      'transaction_timestamp',
      'item_sku',
      'item_name',
      'quantity',
      'unit_price',
      'line_total',
      'discount_amount',
      'payment_method',
      'customer_id',
      ...Object.keys(unknown).slice(0, 9),
      '(record)',
    ]);
    expect(reasons.at(-1)).toEqual({ field: '(record)', rule: 'too_many_reasons', message: 'and 3 more reasons' });
    expect(reasons.at(-12)).toEqual({
      field: 'payment_method',
      rule: 'enum',
      message: 'must be one of cash, credit, debit, gift_card, mobile',
    });
    expect(reasons.at(-11)).toEqual({ field: 'customer_id', rule: 'required', message: 'is required' });
  });

  it('rejects a record that is not an object', () => {
    expect(reasonsFor('hello')).toEqual([{ field: '(record)', rule: 'not_object', message: 'must be a JSON object' }]);
  });

  it('rejects every line of a transaction that mixes payment methods, and keeps the others', () => {
    const lines = [
      example,
      { ...example, item_sku: 'B', payment_method: 'credit' },
      { ...example, transaction_id: 'T2' },
    ];
    const { rows, rejected, lines: count } = validateRecords(lines, storeDay);
    expect(rows.map((r) => r.transaction_id)).toEqual(['T2']);
    expect(rejected.map((r) => r.line)).toEqual([1, 2]);
    expect(rejected[0]?.reasons[0]?.field).toBe('payment_method');
    expect(count).toBe(3);
  });

  it('reads the local date and hour as the store wrote them, with an offset', () => {
    const { rows } = validateRecords([{ ...example, transaction_timestamp: '2025-10-29T23:30:00-05:00' }], storeDay);
    expect(rows[0]?.utc_offset_minutes).toBe(-300);
    expect(rows[0]?.timestamp_ms).toBe(Date.UTC(2025, 9, 30, 4, 30));
  });

  it.each([
    ['', /empty/],
    ['{"a":1}', /not a JSON array/],
    ['[]', /no line items/],
    ['[{"a":', /not valid JSON/],
  ])('rejects the whole file %j with a reason', (body, reason) => {
    expect(() => validateStoreFile(body, storeDay)).toThrow(RejectedFileError);
    expect(() => validateStoreFile(body, storeDay)).toThrow(reason);
  });

  it('rejects a line that is not UTF-8, naming the line, and keeps the others', () => {
    const good = new TextEncoder().encode(JSON.stringify(example));
    const bad = new TextEncoder().encode(JSON.stringify({ ...example, item_name: 'Xé' }));
    bad[bad.indexOf(0xc3)] = 0xff;
    const body = new Uint8Array([0x5b, ...good, 0x2c, ...bad, 0x5d]);
    const { rows, rejected } = validateStoreFile(body, storeDay);
    expect(rows).toHaveLength(1);
    expect(rejected).toMatchObject([{ line: 2, reasons: [{ field: '(record)', rule: 'not_utf8' }] }]);
  });
});
