import type { CanonicalRow } from './canonical-row.schema';
import { ValidationError } from './errors';
import { TOP_PRODUCTS } from './metrics';
import { fromCents } from './money';
import { compareText } from './order';
import type { ProductDayFigures, ProductSales, RankedProduct } from './product-metrics.schema';

interface SkuAcc {
  sku: string;
  units: number;
  grossCents: number;
  netCents: number;
  /** `<store>\u0000<transaction>`: transaction ids are only unique within a store. */
  transactions: Set<string>;
  stores: Set<string>;
  /** Lines per name: stores may spell a SKU's name differently. */
  names: Map<string, number>;
}

/**
 * Aggregates the products of one business date incrementally, so that a function can read one store's Parquet at a
 * time and keep only per-SKU totals in memory. Feed rows in any order and any batches; the result does not depend on
 * either. `finish` may be called more than once.
 */
export class ProductDayAccumulator {
  readonly date: string;
  private readonly skus = new Map<string, SkuAcc>();
  private lines = 0;
  private units = 0;
  private grossCents = 0;
  private discountCents = 0;

  constructor(date: string) {
    this.date = date;
  }

  /** Adds one row. Throws a ValidationError for a row of another business date (it would leak into this day). */
  add(row: CanonicalRow): void {
    if (row.business_date !== this.date) {
      throw new ValidationError(
        `row of ${row.business_date} (store ${row.store_id}) fed into products of ${this.date}`,
      );
    }
    const net = row.line_total_cents - row.discount_cents;
    this.lines += 1;
    this.units += row.quantity;
    this.grossCents += row.line_total_cents;
    this.discountCents += row.discount_cents;
    let acc = this.skus.get(row.item_sku);
    if (!acc) {
      acc = {
        sku: row.item_sku,
        units: 0,
        grossCents: 0,
        netCents: 0,
        transactions: new Set(),
        stores: new Set(),
        names: new Map(),
      };
      this.skus.set(row.item_sku, acc);
    }
    acc.units += row.quantity;
    acc.grossCents += row.line_total_cents;
    acc.netCents += net;
    acc.transactions.add(`${row.store_id}\u0000${row.transaction_id}`);
    acc.stores.add(row.store_id);
    acc.names.set(row.item_name, (acc.names.get(row.item_name) ?? 0) + 1);
  }

  /** Adds every row of `rows` (an array, a generator over a Parquet file, ...). */
  addRows(rows: Iterable<CanonicalRow>): this {
    for (const row of rows) this.add(row);
    return this;
  }

  /** The day's product figures with top and bottom `n` by net sales. */
  finish(n: number = TOP_PRODUCTS): ProductDayFigures {
    const all = [...this.skus.values()];
    const top = [...all].sort(bestFirst).slice(0, n).map(ranked);
    const bottom = [...all].sort(worstFirst).slice(0, n).map(ranked);
    const products: ProductSales[] = [...all]
      .sort((a, b) => compareText(a.sku, b.sku))
      .map((p) => ({ sku: p.sku, units: p.units, net_sales: fromCents(p.netCents) }));
    return {
      date: this.date,
      total_products: all.length,
      lines: this.lines,
      units: this.units,
      gross_sales: fromCents(this.grossCents),
      discounts: fromCents(this.discountCents),
      net_sales: fromCents(this.grossCents - this.discountCents),
      top,
      bottom,
      products,
    };
  }
}

/**
 * The products of `date` over every row of every store (`shared/DESIGN.md`, Metric definitions), top and bottom `n`
 * by net sales cut at the end. Sums run in integer cents, so totals equal the row totals and do not depend on order.
 */
export function summarizeProducts(
  date: string,
  rows: Iterable<CanonicalRow>,
  n: number = TOP_PRODUCTS,
): ProductDayFigures {
  return new ProductDayAccumulator(date).addRows(rows).finish(n);
}

function bestFirst(a: SkuAcc, b: SkuAcc): number {
  return b.netCents - a.netCents || b.units - a.units || compareText(a.sku, b.sku);
}

function worstFirst(a: SkuAcc, b: SkuAcc): number {
  return a.netCents - b.netCents || a.units - b.units || compareText(a.sku, b.sku);
}

function ranked(p: SkuAcc): RankedProduct {
  const stores = [...p.stores].sort(compareText);
  return {
    sku: p.sku,
    name: usualName(p.names),
    units: p.units,
    gross_sales: fromCents(p.grossCents),
    net_sales: fromCents(p.netCents),
    transactions: p.transactions.size,
    stores_count: stores.length,
    stores,
  };
}

function usualName(names: ReadonlyMap<string, number>): string {
  let best = '';
  let bestLines = -1;
  for (const [name, lines] of names) {
    if (lines > bestLines || (lines === bestLines && compareText(name, best) < 0)) {
      best = name;
      bestLines = lines;
    }
  }
  return best;
}

/** Code-point order: locale-independent, so every machine ranks ties the same way. */
