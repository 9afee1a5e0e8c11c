import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../src/canonical-row.schema';
import { summarizeCompany } from '../src/company-metrics';
import { ValidationError } from '../src/errors';
import { summarizeStoreDay } from '../src/metrics';
import { toCents } from '../src/money';
import { PAYMENT_METHODS } from '../src/store-file.schema';
import type { PaymentMix, StoreDayFigures } from '../src/store-summary.schema';

const DATE = '2025-10-29';

function mix(entries: Partial<PaymentMix>): PaymentMix {
  const zero = { net_sales: 0, transactions: 0 };
  return { cash: zero, credit: zero, debit: zero, gift_card: zero, mobile: zero, ...entries };
}

function hours(entries: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);
}

function store(id: string, f: Partial<StoreDayFigures>): StoreDayFigures {
  return {
    store_id: id,
    date: DATE,
    gross_sales: 0,
    discounts: 0,
    net_sales: 0,
    transactions: 0,
    items: 0,
    lines: 0,
    avg_basket: 0,
    units_per_transaction: 0,
    payment_mix: mix({}),
    top_products: [],
    hourly: hours({}),
    ...f,
  };
}

// Amounts chosen so that summing them as floats goes wrong (10.1 + 20.2 + 30.3 = 60.599999999999994).
const s1 = store('0001', {
  gross_sales: 10.1,
  discounts: 0.1,
  net_sales: 10,
  transactions: 2,
  items: 3,
  lines: 3,
  payment_mix: mix({ cash: { net_sales: 4, transactions: 1 }, mobile: { net_sales: 6, transactions: 1 } }),
  hourly: hours({ 9: 10 }),
});
const s2 = store('0002', {
  gross_sales: 20.2,
  discounts: 0.1,
  net_sales: 20.1,
  transactions: 1,
  items: 4,
  lines: 2,
  payment_mix: mix({ credit: { net_sales: 20.1, transactions: 1 } }),
  hourly: hours({ 9: 0.1, 14: 20 }),
});
const s3 = store('0003', {
  gross_sales: 30.3,
  discounts: 0.2,
  net_sales: 30.1,
  transactions: 3,
  items: 5,
  lines: 4,
  payment_mix: mix({ cash: { net_sales: 15.05, transactions: 2 }, debit: { net_sales: 15.05, transactions: 1 } }),
  hourly: hours({ 14: 30.1 }),
});

describe('summarizeCompany', () => {
  it('sums the store figures exactly, in cents', () => {
    const c = summarizeCompany(DATE, [s1, s2, s3], ['0001', '0002', '0003', '0004']);
    expect(c).toEqual({
      date: DATE,
      gross_sales: 60.6,
      discounts: 0.4,
      net_sales: 60.2,
      transactions: 6,
      items: 12,
      lines: 9,
      avg_basket: 10.03,
      units_per_transaction: 2,
      payment_mix: {
        cash: { net_sales: 19.05, transactions: 3 },
        credit: { net_sales: 20.1, transactions: 1 },
        debit: { net_sales: 15.05, transactions: 1 },
        gift_card: { net_sales: 0, transactions: 0 },
        mobile: { net_sales: 6, transactions: 1 },
      },
      hourly: hours({ 9: 10.1, 14: 50.1 }),
      best_store: { store_id: '0003', net_sales: 30.1 },
      worst_store: { store_id: '0001', net_sales: 10 },
      stores_reported: 3,
      stores_expected: 4,
      reported_stores: ['0001', '0002', '0003'],
      missing_stores: ['0004'],
      unexpected_stores: [],
    });
  });

  it('recomputes the average basket from the sums instead of averaging the stores', () => {
    const a = store('0001', { net_sales: 100, transactions: 1 });
    const b = store('0002', { net_sales: 10, transactions: 9 });
    // Mean of the store baskets would be (100 + 1.11) / 2 = 50.56; the company basket is 110 / 10.
    expect(summarizeCompany(DATE, [a, b], ['0001', '0002']).avg_basket).toBe(11);
  });

  it('breaks ties for best and worst store by the lowest store id', () => {
    const c = summarizeCompany(
      DATE,
      [store('0009', { net_sales: 5 }), store('0002', { net_sales: 5 }), store('0005', { net_sales: 5 })],
      [],
    );
    expect(c.best_store).toEqual({ store_id: '0002', net_sales: 5 });
    expect(c.worst_store).toEqual({ store_id: '0002', net_sales: 5 });
  });

  it('counts a store outside the expected list and names it as unexpected', () => {
    const c = summarizeCompany(DATE, [s1, s2], ['0001', '0001']);
    expect(c.net_sales).toBe(30.1);
    expect(c.stores_reported).toBe(2);
    expect(c.stores_expected).toBe(1);
    expect(c.missing_stores).toEqual([]);
    expect(c.unexpected_stores).toEqual(['0002']);
  });

  it('reports a day with no stores as zeros with every expected store missing', () => {
    const c = summarizeCompany(DATE, [], ['0002', '0001']);
    expect(c.net_sales).toBe(0);
    expect(c.avg_basket).toBe(0);
    expect(c.units_per_transaction).toBe(0);
    expect(c.best_store).toBeNull();
    expect(c.worst_store).toBeNull();
    expect(c.missing_stores).toEqual(['0001', '0002']);
    expect(c.payment_mix.gift_card).toEqual({ net_sales: 0, transactions: 0 });
  });

  it('rejects figures of another date, a store given twice, and amounts with three decimals', () => {
    expect(() => summarizeCompany(DATE, [{ ...s1, date: '2025-10-28' }], [])).toThrow(ValidationError);
    expect(() => summarizeCompany(DATE, [s1, s1], [])).toThrow(/appears twice/);
    expect(() => summarizeCompany(DATE, [{ ...s1, net_sales: 1.005 }], [])).toThrow(/net_sales of store 0001/);
  });
});

const STORE_IDS = ['0001', '0002', '0003', '0004', '0005'];

const rowArb = fc
  .record({
    store_id: fc.constantFrom(...STORE_IDS),
    tx: fc.integer({ min: 1, max: 6 }),
    hour: fc.integer({ min: 0, max: 23 }),
    sku: fc.constantFrom('A', 'B', 'C', 'D'),
    quantity: fc.integer({ min: 1, max: 5 }),
    unit: fc.integer({ min: 0, max: 50_000 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
    method: fc.constantFrom(...PAYMENT_METHODS),
  })
  .map((r): CanonicalRow => {
    const total = r.unit * r.quantity;
    return {
      store_id: r.store_id,
      business_date: DATE,
      transaction_id: `T${r.tx}`,
      timestamp_ms: Date.parse(`${DATE}T00:00:00Z`) + r.hour * 3_600_000,
      utc_offset_minutes: 0,
      item_sku: r.sku,
      item_name: `Item ${r.sku}`,
      quantity: r.quantity,
      unit_price_cents: r.unit,
      line_total_cents: total,
      discount_cents: Math.floor(total * r.discountShare),
      payment_method: r.method,
      customer_id: 'C1',
    };
  });

function storesOf(rows: readonly CanonicalRow[]): StoreDayFigures[] {
  return STORE_IDS.map((id) =>
    summarizeStoreDay(
      id,
      DATE,
      rows.filter((r) => r.store_id === id),
    ),
  ).filter((s) => s.lines > 0);
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const cents = (value: number) => toCents(value) as number;

describe('summarizeCompany (properties)', () => {
  it('equals the sum of its stores and the sum of the rows, whatever the order of the stores', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 60 }),
        fc.array(fc.integer(), { minLength: 5, maxLength: 5 }),
        (rows, keys) => {
          const stores = storesOf(rows);
          const shuffled = stores
            .map((s, i) => ({ s, k: keys[i] ?? 0 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.s);
          const c = summarizeCompany(DATE, stores, STORE_IDS);

          expect(summarizeCompany(DATE, shuffled, STORE_IDS)).toEqual(c);
          expect(cents(c.gross_sales)).toBe(sum(rows.map((r) => r.line_total_cents)));
          expect(cents(c.discounts)).toBe(sum(rows.map((r) => r.discount_cents)));
          expect(cents(c.net_sales)).toBe(sum(stores.map((s) => cents(s.net_sales))));
          expect(cents(c.net_sales)).toBe(cents(c.gross_sales) - cents(c.discounts));
          expect(c.transactions).toBe(sum(stores.map((s) => s.transactions)));
          expect(c.items).toBe(sum(rows.map((r) => r.quantity)));
          expect(c.lines).toBe(rows.length);
          expect(sum(c.hourly.map(cents))).toBe(cents(c.net_sales));
          for (const m of PAYMENT_METHODS) {
            expect(cents(c.payment_mix[m].net_sales)).toBe(sum(stores.map((s) => cents(s.payment_mix[m].net_sales))));
            expect(c.payment_mix[m].transactions).toBe(sum(stores.map((s) => s.payment_mix[m].transactions)));
          }
          expect(c.stores_reported + c.missing_stores.length).toBe(STORE_IDS.length);
          if (stores.length > 0) {
            const nets = stores.map((s) => cents(s.net_sales));
            expect(cents(c.best_store?.net_sales ?? Number.NaN)).toBe(Math.max(...nets));
            expect(cents(c.worst_store?.net_sales ?? Number.NaN)).toBe(Math.min(...nets));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
