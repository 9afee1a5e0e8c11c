import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../src/canonical-row.schema';
import { ValidationError } from '../src/errors';
import { toCents } from '../src/money';
import { ProductDayAccumulator, summarizeProducts } from '../src/product-metrics';

const DATE = '2025-10-29';

function row(store: string, tx: string, sku: string, name: string, qty: number, total: number, discount: number) {
  return {
    store_id: store,
    business_date: DATE,
    transaction_id: tx,
    timestamp_ms: Date.parse(`${DATE}T10:00:00Z`),
    utc_offset_minutes: 0,
    item_sku: sku,
    item_name: name,
    quantity: qty,
    unit_price_cents: Math.round(total / qty),
    line_total_cents: total,
    discount_cents: discount,
    payment_method: 'cash',
    customer_id: 'C1',
  } satisfies CanonicalRow;
}

// Transaction T1 exists in both stores: they are different transactions.
const ROWS: CanonicalRow[] = [
  row('0001', 'T1', 'A', 'Alpha', 2, 1000, 100),
  row('0001', 'T1', 'B', 'Bravo', 1, 500, 0),
  row('0001', 'T2', 'A', 'Alpha', 1, 500, 0),
  row('0002', 'T1', 'A', 'Alpha (blue)', 1, 500, 50),
  row('0002', 'T1', 'C', 'Charlie', 3, 300, 0),
  row('0002', 'T3', 'D', 'Delta', 1, 500, 0),
];

describe('summarizeProducts', () => {
  it('aggregates every row of every store and cuts top and bottom at the end', () => {
    const p = summarizeProducts(DATE, ROWS, 2);
    expect(p).toEqual({
      date: DATE,
      total_products: 4,
      lines: 6,
      units: 9,
      gross_sales: 33,
      discounts: 1.5,
      net_sales: 31.5,
      top: [
        {
          sku: 'A',
          name: 'Alpha',
          units: 4,
          gross_sales: 20,
          net_sales: 18.5,
          transactions: 3,
          stores_count: 2,
          stores: ['0001', '0002'],
        },
        // B and D tie on net sales and units: the SKU decides.
        {
          sku: 'B',
          name: 'Bravo',
          units: 1,
          gross_sales: 5,
          net_sales: 5,
          transactions: 1,
          stores_count: 1,
          stores: ['0001'],
        },
      ],
      bottom: [
        {
          sku: 'C',
          name: 'Charlie',
          units: 3,
          gross_sales: 3,
          net_sales: 3,
          transactions: 1,
          stores_count: 1,
          stores: ['0002'],
        },
        {
          sku: 'B',
          name: 'Bravo',
          units: 1,
          gross_sales: 5,
          net_sales: 5,
          transactions: 1,
          stores_count: 1,
          stores: ['0001'],
        },
      ],
      products: [
        { sku: 'A', units: 4, net_sales: 18.5 },
        { sku: 'B', units: 1, net_sales: 5 },
        { sku: 'C', units: 3, net_sales: 3 },
        { sku: 'D', units: 1, net_sales: 5 },
      ],
    });
  });

  it('ranks a product sold a little in many stores above a per-store leader', () => {
    // Store 0001's best seller (X, 6.00) loses to Y, which sells 4.00 in each of two stores.
    const rows = [
      row('0001', 'T1', 'X', 'X', 1, 600, 0),
      row('0001', 'T2', 'Y', 'Y', 1, 400, 0),
      row('0002', 'T1', 'Y', 'Y', 1, 400, 0),
      row('0002', 'T2', 'Z', 'Z', 1, 500, 0),
    ];
    expect(summarizeProducts(DATE, rows, 1).top.map((p) => [p.sku, p.net_sales])).toEqual([['Y', 8]]);
  });

  it('names a SKU by its most used name, ties in code-point order', () => {
    const rows = [row('0001', 'T1', 'A', 'beta', 1, 100, 0), row('0002', 'T1', 'A', 'Alpha', 1, 100, 0)];
    expect(summarizeProducts(DATE, rows).top[0]?.name).toBe('Alpha');
  });

  it('gives the same figures when fed store by store through the accumulator', () => {
    const acc = new ProductDayAccumulator(DATE);
    acc.addRows(ROWS.filter((r) => r.store_id === '0002'));
    for (const r of ROWS.filter((x) => x.store_id === '0001')) acc.add(r);
    expect(acc.finish(2)).toEqual(summarizeProducts(DATE, ROWS, 2));
  });

  it('rejects a row of another business date', () => {
    expect(() => summarizeProducts(DATE, [{ ...ROWS[0]!, business_date: '2025-10-30' }])).toThrow(ValidationError);
  });

  it('returns empty lists for a day without rows', () => {
    const p = summarizeProducts(DATE, []);
    expect([p.total_products, p.units, p.net_sales, p.top.length, p.bottom.length]).toEqual([0, 0, 0, 0, 0]);
  });
});

const rowArb = fc
  .record({
    store: fc.constantFrom('0001', '0002', '0003'),
    tx: fc.integer({ min: 1, max: 5 }),
    sku: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    qty: fc.integer({ min: 1, max: 4 }),
    unit: fc.integer({ min: 0, max: 9_999 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => {
    const total = r.unit * r.qty;
    return row(r.store, `T${r.tx}`, r.sku, `N${r.sku}`, r.qty, total, Math.floor(total * r.discountShare));
  });

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const cents = (value: number) => toCents(value) as number;

describe('summarizeProducts (properties)', () => {
  it('totals equal the row totals and do not depend on row order or batching', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (rows, n) => {
        const p = summarizeProducts(DATE, rows, n);
        expect(p.lines).toBe(rows.length);
        expect(p.units).toBe(sum(rows.map((r) => r.quantity)));
        expect(cents(p.gross_sales)).toBe(sum(rows.map((r) => r.line_total_cents)));
        expect(cents(p.discounts)).toBe(sum(rows.map((r) => r.discount_cents)));
        expect(cents(p.net_sales)).toBe(cents(p.gross_sales) - cents(p.discounts));
        expect(p.total_products).toBe(new Set(rows.map((r) => r.item_sku)).size);
        expect(sum(p.products.map((x) => x.units))).toBe(p.units);
        expect(sum(p.products.map((x) => cents(x.net_sales)))).toBe(cents(p.net_sales));
        expect(p.top.length).toBe(Math.min(n, p.total_products));
        const nets = p.products.map((x) => cents(x.net_sales));
        if (p.top[0]) expect(cents(p.top[0].net_sales)).toBe(Math.max(...nets));
        if (p.bottom[0]) expect(cents(p.bottom[0].net_sales)).toBe(Math.min(...nets));

        expect(summarizeProducts(DATE, [...rows].reverse(), n)).toEqual(p);
        const acc = new ProductDayAccumulator(DATE);
        for (const store of ['0003', '0001', '0002']) acc.addRows(rows.filter((r) => r.store_id === store));
        expect(acc.finish(n)).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });
});
