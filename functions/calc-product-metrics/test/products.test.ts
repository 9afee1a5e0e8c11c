import { type CanonicalRow, validateRecords } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { generateStoreDay, storeAt } from '../../../scripts/sample-data';
import { accumulateProducts } from '../src/products';

const DATE = '2025-10-29';

/** Two generated store-days (a flagship and an express store), as their Parquet files would read back. */
const files = new Map<string, CanonicalRow[]>(
  [0, 3].map((i) => {
    const store = storeAt(i);
    const rows = validateRecords(generateStoreDay(store, DATE, 11), { storeId: store.id, date: DATE }).rows;
    return [store.id, rows];
  }),
);
const all = [...files.values()].flat();
const read = async (storeId: string) => files.get(storeId) ?? [];

describe('accumulateProducts', () => {
  it('aggregates every row of every store, reading one store at a time', async () => {
    const order: string[] = [];
    const figures = await accumulateProducts(DATE, [...files.keys()], async (storeId) => {
      order.push(storeId);
      return read(storeId);
    });
    expect(order).toEqual(['0001', '0004']);
    expect(figures.lines).toBe(all.length);
    expect(figures.units).toBe(all.reduce((n, r) => n + r.quantity, 0));
    expect(Math.round(figures.net_sales * 100)).toBe(
      all.reduce((n, r) => n + r.line_total_cents - r.discount_cents, 0),
    );
    expect(figures.total_products).toBe(new Set(all.map((r) => r.item_sku)).size);

    const best = figures.top[0];
    const rowsOfBest = all.filter((r) => r.item_sku === best?.sku);
    expect(best?.units).toBe(rowsOfBest.reduce((n, r) => n + r.quantity, 0));
    // A transaction id is only unique within its store.
    expect(best?.transactions).toBe(new Set(rowsOfBest.map((r) => `${r.store_id}/${r.transaction_id}`)).size);
    expect(best?.stores).toEqual([...new Set(rowsOfBest.map((r) => r.store_id))].sort());
    const net = (p: { net_sales: number }) => p.net_sales;
    expect(figures.top.map(net)).toEqual([...figures.top.map(net)].sort((a, b) => b - a));
  });

  it('gives the same figures whatever the order of the stores', async () => {
    const one = await accumulateProducts(DATE, ['0001', '0004'], read);
    const other = await accumulateProducts(DATE, ['0004', '0001'], read);
    expect(other).toEqual(one);
  });

  it('refuses a row of another date instead of mixing days', async () => {
    const stray = { ...(all[0] as CanonicalRow), business_date: '2025-10-28' };
    await expect(accumulateProducts(DATE, ['0009'], async () => [stray])).rejects.toThrow(/row of 2025-10-28/);
  });
});
