import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../src/canonical-row.schema';
import { localHour, summarizeStoreDay } from '../src/metrics';
import { PAYMENT_METHODS } from '../src/store-file.schema';

function row(p: Partial<CanonicalRow>): CanonicalRow {
  return {
    store_id: '0001',
    business_date: '2025-10-29',
    transaction_id: 'T1',
    timestamp_ms: Date.UTC(2025, 9, 29, 9, 15),
    utc_offset_minutes: 0,
    item_sku: 'A',
    item_name: 'Apple',
    quantity: 1,
    unit_price_cents: 100,
    line_total_cents: 100,
    discount_cents: 0,
    payment_method: 'cash',
    customer_id: 'C1',
    ...p,
  };
}

// A hand-computed day: three transactions, five lines.
//   T1 09:15 cash   A ×2 @1.10 = 2.20 (disc 0.20) ; B ×1 @0.10 = 0.10
//   T2 10:05 credit A ×1 @1.10 = 1.10             ; C ×3 @0.20 = 0.60 (disc 0.10)
//   T3 10:59 cash   B ×4 @0.10 = 0.40
// gross 4.40, discounts 0.30, net 4.10; transactions 3; items 11; lines 5; avg basket 1.37 (4.10/3 = 1.3667)
const day = [
  row({
    transaction_id: 'T1',
    item_sku: 'A',
    quantity: 2,
    unit_price_cents: 110,
    line_total_cents: 220,
    discount_cents: 20,
  }),
  row({
    transaction_id: 'T1',
    item_sku: 'B',
    item_name: 'Bean',
    quantity: 1,
    unit_price_cents: 10,
    line_total_cents: 10,
  }),
  row({
    transaction_id: 'T2',
    timestamp_ms: Date.UTC(2025, 9, 29, 10, 5),
    payment_method: 'credit',
    item_sku: 'A',
    quantity: 1,
    unit_price_cents: 110,
    line_total_cents: 110,
  }),
  row({
    transaction_id: 'T2',
    timestamp_ms: Date.UTC(2025, 9, 29, 10, 5),
    payment_method: 'credit',
    item_sku: 'C',
    item_name: 'Corn',
    quantity: 3,
    unit_price_cents: 20,
    line_total_cents: 60,
    discount_cents: 10,
  }),
  row({
    transaction_id: 'T3',
    timestamp_ms: Date.UTC(2025, 9, 29, 10, 59),
    item_sku: 'B',
    item_name: 'Bean',
    quantity: 4,
    unit_price_cents: 10,
    line_total_cents: 40,
  }),
];

describe('store-day metrics', () => {
  it('computes the hand-computed figures of a small day', () => {
    const s = summarizeStoreDay('0001', '2025-10-29', day);
    expect(s).toMatchObject({
      gross_sales: 4.4,
      discounts: 0.3,
      net_sales: 4.1,
      transactions: 3,
      items: 11,
      lines: 5,
      avg_basket: 1.37,
      units_per_transaction: 3.6667,
    });
    expect(s.payment_mix).toEqual({
      cash: { net_sales: 2.5, transactions: 2 },
      credit: { net_sales: 1.6, transactions: 1 },
      debit: { net_sales: 0, transactions: 0 },
      gift_card: { net_sales: 0, transactions: 0 },
      mobile: { net_sales: 0, transactions: 0 },
    });
    expect(s.top_products).toEqual([
      { sku: 'A', name: 'Apple', units: 3, net_sales: 3.1 },
      // A tie on net sales goes to the product that sold more units.
      { sku: 'B', name: 'Bean', units: 5, net_sales: 0.5 },
      { sku: 'C', name: 'Corn', units: 3, net_sales: 0.5 },
    ]);
    expect(s.hourly[9]).toBe(2.1);
    expect(s.hourly[10]).toBe(2);
    expect(s.hourly.reduce((a, b) => a + b, 0)).toBeCloseTo(4.1, 10);
  });

  it('counts transactions, not lines, and keeps all five payment methods', () => {
    const s = summarizeStoreDay('0001', '2025-10-29', [row({}), row({ item_sku: 'B' })]);
    expect(s.transactions).toBe(1);
    expect(s.lines).toBe(2);
    expect(Object.keys(s.payment_mix)).toEqual([...PAYMENT_METHODS]);
  });

  it('sums money exactly where binary floats would drift', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; ten thousand lines of 0.10 must be exactly 1000.
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      row({ transaction_id: `T${i}`, unit_price_cents: 10, line_total_cents: 10 }),
    );
    expect(summarizeStoreDay('0001', '2025-10-29', rows).net_sales).toBe(1000);
  });

  it('has figures that do not depend on row order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(day, { minLength: day.length, maxLength: day.length }), (shuffled) => {
        expect(summarizeStoreDay('0001', '2025-10-29', shuffled)).toEqual(summarizeStoreDay('0001', '2025-10-29', day));
      }),
    );
  });

  it('takes the hour in the offset the store wrote', () => {
    expect(localHour({ timestamp_ms: Date.UTC(2025, 9, 30, 4, 30), utc_offset_minutes: -300 })).toBe(23);
  });
});
