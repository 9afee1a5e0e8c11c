/**
 * The operations' figures computed from the rows in plain TypeScript, without SQL: what the engines' results are
 * compared with.
 */
import type { CanonicalRow, MarketplaceRow } from '@tillflow/core';

const net = (r: CanonicalRow) => r.line_total_cents - r.discount_cents;
const tx = (r: CanonicalRow) => `${r.store_id}/${r.business_date}/${r.transaction_id}`;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The Monday of a date's ISO week. */
export function weekStart(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const day = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - day * 86_400_000).toISOString().slice(0, 10);
}

/** SQL's RANK: 1 + how many strictly greater. */
function rank(value: number, all: readonly number[]): number {
  return 1 + all.filter((v) => v > value).length;
}

export function revenueByPeriod(
  rows: readonly CanonicalRow[],
  period: 'day' | 'week' | 'month',
  dimension: 'store' | 'product' | 'payment_method',
) {
  const periodOf = (d: string) => (period === 'day' ? d : period === 'week' ? weekStart(d) : `${d.slice(0, 7)}-01`);
  const keyOf = (r: CanonicalRow) =>
    dimension === 'store' ? r.store_id : dimension === 'product' ? r.item_sku : r.payment_method;
  const groups = [...groupBy(rows, (r) => `${periodOf(r.business_date)}|${keyOf(r)}`).entries()].map(([k, list]) => {
    const [period_start, dimension_value] = k.split('|') as [string, string];
    return {
      period_start,
      dimension_value,
      net_sales_cents: sum(list.map(net)),
      gross_sales_cents: sum(list.map((r) => r.line_total_cents)),
      discount_cents: sum(list.map((r) => r.discount_cents)),
      transactions: new Set(list.map(tx)).size,
      quantity: sum(list.map((r) => r.quantity)),
    };
  });
  return groups.map((g) => {
    const earlier = groups
      .filter((o) => o.dimension_value === g.dimension_value && o.period_start < g.period_start)
      .sort((a, b) => (a.period_start < b.period_start ? 1 : -1))[0];
    const previous = earlier?.net_sales_cents ?? null;
    const peers = groups.filter((o) => o.period_start === g.period_start).map((o) => o.net_sales_cents);
    return {
      ...g,
      previous_net_sales_cents: previous,
      growth: previous === null || previous === 0 ? null : (g.net_sales_cents - previous) / previous,
      sales_rank: rank(g.net_sales_cents, peers),
    };
  });
}

export function storeRanking(rows: readonly CanonicalRow[]) {
  const stores = [...groupBy(rows, (r) => r.store_id).entries()].map(([store_id, list]) => {
    const netCents = sum(list.map(net));
    const transactions = new Set(list.map(tx)).size;
    return {
      store_id,
      net_sales_cents: netCents,
      transactions,
      items: sum(list.map((r) => r.quantity)),
      average_basket_cents: netCents / transactions,
      days_reported: new Set(list.map((r) => r.business_date)).size,
    };
  });
  const total = sum(stores.map((s) => s.net_sales_cents));
  return stores.map((s) => ({ ...s, share_of_net_sales: s.net_sales_cents / total }));
}

export function productAffinity(rows: readonly CanonicalRow[]) {
  const baskets = [...groupBy(rows, tx).values()].map((list) => new Set(list.map((r) => r.item_sku)));
  const n = baskets.length;
  const count = (...skus: string[]) => baskets.filter((b) => skus.every((s) => b.has(s))).length;
  const skus = [...new Set(rows.map((r) => r.item_sku))].sort();
  const pairs = [];
  for (let i = 0; i < skus.length; i++) {
    for (let j = i + 1; j < skus.length; j++) {
      const a = skus[i] as string;
      const b = skus[j] as string;
      const both = count(a, b);
      if (both === 0) continue;
      const ta = count(a);
      const tb = count(b);
      pairs.push({
        sku_a: a,
        sku_b: b,
        transactions_a: ta,
        transactions_b: tb,
        pair_transactions: both,
        support: both / n,
        confidence_a_to_b: both / ta,
        confidence_b_to_a: both / tb,
        lift: (both * n) / (ta * tb),
      });
    }
  }
  return pairs;
}

export function customerAnalysis(rows: readonly CanonicalRow[], bounds: readonly number[]) {
  const customers = [...groupBy(rows, (r) => r.customer_id).values()].map((list) => ({
    transactions: new Set(list.map(tx)).size,
    spend: sum(list.map(net)),
  }));
  const figures = (list: typeof customers) => ({
    customers: list.length,
    repeat_customers: list.filter((c) => c.transactions > 1).length,
    transactions: sum(list.map((c) => c.transactions)),
    net_sales_cents: sum(list.map((c) => c.spend)),
  });
  const segmentOf = (spend: number) => {
    const i = bounds.findIndex((b) => spend < b);
    return i === -1 ? bounds.length : i;
  };
  const segments = bounds.map((_, i) => i).concat(bounds.length);
  return [figures(customers), ...segments.map((s) => figures(customers.filter((c) => segmentOf(c.spend) === s)))];
}

export function hourlyProfile(rows: readonly CanonicalRow[]) {
  const hourOf = (r: CanonicalRow) => Math.floor((r.timestamp_ms + r.utc_offset_minutes * 60_000) / 3_600_000) % 24;
  const byHour = groupBy(rows, (r) => String(hourOf(r)));
  const total = new Set(rows.map(tx)).size;
  return [...byHour.entries()]
    .map(([hour, list]) => ({
      hour: Number(hour),
      transactions: new Set(list.map(tx)).size,
      net_sales_cents: sum(list.map(net)),
      items: sum(list.map((r) => r.quantity)),
      share_of_transactions: new Set(list.map(tx)).size / total,
    }))
    .sort((a, b) => a.hour - b.hour);
}

/**
 * marketplace_summary's rows grouped by `key`: unsold are the lines whose status is in `excluded` (compared without
 * case) or, without a list, whose status class is not active; revenue is the Amount of the sold lines.
 */
export function marketplaceSummary<R extends MarketplaceRow>(
  rows: readonly R[],
  key: (r: R) => string | null,
  excluded?: readonly string[],
) {
  const out = excluded ? new Set(excluded.map((s) => s.toLowerCase())) : undefined;
  const isOut = (r: R) => (out ? out.has(r.status.toLowerCase()) : r.status_class !== 'active');
  const amount = (r: MarketplaceRow) => r.amount_cents ?? 0;
  const groups = new Map<string | null, R[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  const figures = [...groups.entries()].map(([group_value, list]) => {
    const active = list.filter((r) => !isOut(r));
    const revenue = sum(active.map(amount));
    const orders = new Set(active.map((r) => r.order_id)).size;
    return {
      group_value,
      records: list.length,
      active_records: active.length,
      excluded_records: list.length - active.length,
      orders,
      quantity: sum(active.map((r) => r.quantity)),
      revenue_cents: revenue,
      b2b_revenue_cents: sum(active.filter((r) => r.b2b).map(amount)),
      average_order_value_cents: orders === 0 ? null : revenue / orders,
    };
  });
  const total = sum(figures.map((g) => g.revenue_cents));
  return figures.map((g) => ({ ...g, share_of_revenue: g.revenue_cents / total }));
}
