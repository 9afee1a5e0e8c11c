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
 * The figures of one store-day from its accepted rows (`shared/DESIGN.md`, Metric definitions). Sums run in integer
 * cents, so the result does not depend on row order and has no float error.
 */
export function summarizeStoreDay(storeId: string, date: string, rows: readonly CanonicalRow[]): StoreDayFigures {
  let grossCents = 0;
  let discountCents = 0;
  let items = 0;
  const transactions = new Set<string>();
  const paymentNet = new Map<PaymentMethod, number>();
  const paymentTx = new Map<PaymentMethod, Set<string>>();
  for (const m of PAYMENT_METHODS) {
    paymentNet.set(m, 0);
    paymentTx.set(m, new Set());
  }
  const hourlyCents = new Array<number>(24).fill(0);
  const products = new Map<string, ProductAcc>();

  for (const row of rows) {
    const net = row.line_total_cents - row.discount_cents;
    grossCents += row.line_total_cents;
    discountCents += row.discount_cents;
    items += row.quantity;
    transactions.add(row.transaction_id);
    paymentNet.set(row.payment_method, (paymentNet.get(row.payment_method) ?? 0) + net);
    paymentTx.get(row.payment_method)?.add(row.transaction_id);
    const hour = localHour(row);
    hourlyCents[hour] = (hourlyCents[hour] ?? 0) + net;
    const p = products.get(row.item_sku);
    if (p) {
      p.units += row.quantity;
      p.netCents += net;
    } else {
      products.set(row.item_sku, { sku: row.item_sku, name: row.item_name, units: row.quantity, netCents: net });
    }
  }

  const netCents = grossCents - discountCents;
  const paymentMix = {} as PaymentMix;
  for (const m of PAYMENT_METHODS) {
    paymentMix[m] = { net_sales: fromCents(paymentNet.get(m) ?? 0), transactions: paymentTx.get(m)?.size ?? 0 };
  }
  return {
    store_id: storeId,
    date,
    gross_sales: fromCents(grossCents),
    discounts: fromCents(discountCents),
    net_sales: fromCents(netCents),
    transactions: transactions.size,
    items,
    lines: rows.length,
    avg_basket: fromCents(divideCents(netCents, transactions.size)),
    units_per_transaction: transactions.size === 0 ? 0 : round(items / transactions.size, 4),
    payment_mix: paymentMix,
    top_products: rankProducts([...products.values()], TOP_PRODUCTS),
    hourly: hourlyCents.map(fromCents),
  };
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
