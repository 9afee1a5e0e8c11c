import type { CanonicalRow } from './canonical-row.schema';
import { divideCents, fromCents } from './money';
import { compareText } from './order';
import { PAYMENT_METHODS, type PaymentMethod } from './store-file.schema';
import type { PaymentMix, ProductFigures, StoreDayFigures } from './store-summary.schema';

/** How many products a store summary keeps. */
export const TOP_PRODUCTS = 10;

interface ProductAcc {
  sku: string;
  name: string;
  units: number;
  netCents: number;
}

/**
 * The figures of one store-day, accumulated row by row (`shared/DESIGN.md`, Metric definitions), so that the upload
 * computes them in the same pass that converts the file. Sums run in integer cents, so the result does not depend on
 * row order and has no float error. Memory: one entry per distinct SKU, and (in summarizeStoreDay) per transaction.
 */
export class StoreDayAccumulator {
  private grossCents = 0;
  private discountCents = 0;
  private items = 0;
  private lines = 0;
  private transactions = 0;
  // Plain objects of the five methods: a property per method costs less per row than a Map lookup and update.
  private readonly paymentNet = zeroByMethod();
  private readonly paymentTx = zeroByMethod();
  private readonly hourlyCents = new Array<number>(24).fill(0);
  private readonly products = new Map<string, ProductAcc>();
  private lastSku: string | undefined;
  private lastProduct: ProductAcc | undefined;

  /**
   * Adds one accepted row. `firstOfTransaction`: no earlier row had its transaction id (the caller tracks the ids,
   * as the upload already does to check one payment method per transaction).
   */
  add(row: CanonicalRow, firstOfTransaction: boolean): void {
    const net = row.line_total_cents - row.discount_cents;
    this.grossCents += row.line_total_cents;
    this.discountCents += row.discount_cents;
    this.items += row.quantity;
    this.lines++;
    this.paymentNet[row.payment_method] += net;
    if (firstOfTransaction) {
      this.transactions++;
      this.paymentTx[row.payment_method]++;
    }
    const hour = localHour(row);
    this.hourlyCents[hour] = (this.hourlyCents[hour] ?? 0) + net;
    let p = row.item_sku === this.lastSku ? this.lastProduct : this.products.get(row.item_sku);
    if (p) {
      p.units += row.quantity;
      p.netCents += net;
      // One name per SKU whatever the line order: the first in text order when a file spells it two ways.
      if (row.item_name !== p.name && compareText(row.item_name, p.name) < 0) p.name = row.item_name;
    } else {
      p = { sku: row.item_sku, name: row.item_name, units: row.quantity, netCents: net };
      this.products.set(row.item_sku, p);
    }
    this.lastSku = row.item_sku;
    this.lastProduct = p;
  }

  /** The figures of the rows added so far. */
  figures(storeId: string, date: string): StoreDayFigures {
    const netCents = this.grossCents - this.discountCents;
    const paymentMix = {} as PaymentMix;
    for (const m of PAYMENT_METHODS) {
      paymentMix[m] = { net_sales: fromCents(this.paymentNet[m]), transactions: this.paymentTx[m] };
    }
    const tx = this.transactions;
    return {
      store_id: storeId,
      date,
      gross_sales: fromCents(this.grossCents),
      discounts: fromCents(this.discountCents),
      net_sales: fromCents(netCents),
      transactions: tx,
      items: this.items,
      lines: this.lines,
      avg_basket: fromCents(divideCents(netCents, tx)),
      units_per_transaction: tx === 0 ? 0 : round(this.items / tx, 4),
      payment_mix: paymentMix,
      top_products: rankProducts([...this.products.values()], TOP_PRODUCTS),
      hourly: this.hourlyCents.map(fromCents),
    };
  }
}

function zeroByMethod(): Record<PaymentMethod, number> {
  return { cash: 0, credit: 0, debit: 0, gift_card: 0, mobile: 0 };
}

/**
 * The figures of one store-day from its accepted rows (`shared/DESIGN.md`, Metric definitions): StoreDayAccumulator
 * over the rows, so the upload's one-pass figures and these are the same definition.
 */
export function summarizeStoreDay(storeId: string, date: string, rows: readonly CanonicalRow[]): StoreDayFigures {
  const acc = new StoreDayAccumulator();
  const seen = new Set<string>();
  for (const row of rows) {
    const first = !seen.has(row.transaction_id);
    if (first) seen.add(row.transaction_id);
    acc.add(row, first);
  }
  return acc.figures(storeId, date);
}

/** Products ordered by net sales, then units, then SKU (so that ties are stable), cut at `limit`. */
export function rankProducts(products: readonly ProductAcc[], limit: number): ProductFigures[] {
  return [...products]
    .sort((a, b) => b.netCents - a.netCents || b.units - a.units || compareText(a.sku, b.sku))
    .slice(0, limit)
    .map((p) => ({ sku: p.sku, name: p.name, units: p.units, net_sales: fromCents(p.netCents) }));
}

/** The local hour (0–23) at which a row's transaction happened, as the store wrote it. */
export function localHour(row: Pick<CanonicalRow, 'timestamp_ms' | 'utc_offset_minutes'>): number {
  const localMs = row.timestamp_ms + row.utc_offset_minutes * 60_000;
  return Math.floor((((localMs % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
