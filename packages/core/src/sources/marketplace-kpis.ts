import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { divideCents, fromCents } from '../money';
import { Money } from '../store-summary.schema';
import type { MarketplaceRow } from './marketplace';

/** How many ship-states `regional_analytics` lists (the top by revenue). */
export const TOP_STATES = 10;

const Count = Type.Integer({ minimum: 0 });
const Percent = Type.Number({ minimum: 0, maximum: 100, description: 'a percentage with two decimals' });

const FulfilmentFigures = Type.Object({ revenue: Money, orders: Count, quantity: Count, revenue_share_pct: Percent });

/** The headline figures of a report. Revenue counts active lines only (see statusClass); orders are distinct Order IDs. */
export const MarketplaceKpis = Type.Object({
  total_revenue: Money,
  total_orders: Count,
  average_order_value: Money,
  total_quantity: Count,
  b2b_revenue: Money,
  b2c_revenue: Money,
  b2b_share_pct: Percent,
  fulfilment: Type.Object({ Amazon: FulfilmentFigures, Merchant: FulfilmentFigures }),
});
export type MarketplaceKpis = Static<typeof MarketplaceKpis>;

/** Revenue and orders of one ship-state (upper-cased: exports spell a state both ways). */
export const RegionFigures = Type.Object({ state: Type.String(), revenue: Money, orders: Count, quantity: Count });
/** Revenue, quantity, orders and average order value of one category. */
export const CategoryFigures = Type.Object({
  category: Type.String(),
  revenue: Money,
  quantity: Count,
  orders: Count,
  average_order_value: Money,
});
/** One month (`YYYY-MM`, from the order Date) of the report. */
export const MonthFigures = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  revenue: Money,
  orders: Count,
  quantity: Count,
});

/** The records of a report by what became of them: total = active + cancelled + excluded (rejected ones apart). */
export const MarketplaceMetadata = Type.Object({
  total_records: Count,
  active_records: Count,
  cancelled_records: Count,
  /** Returned, returning, rejected, lost or damaged: excluded from revenue like the cancelled ones. */
  excluded_records: Count,
  /** Lines of the file that failed validation (in the report's rejected file, with their reasons). */
  rejected_records: Count,
  currency: Type.Union([Type.String(), Type.Null()]),
  first_date: Type.Union([Type.String(), Type.Null()]),
  last_date: Type.Union([Type.String(), Type.Null()]),
});
export type MarketplaceMetadata = Static<typeof MarketplaceMetadata>;

/**
 * A report's KPIs, computed once when it is uploaded (process-upload) and kept as JSON beside the lake
 * (marketplaceSummaryKey), so that `GET /analytics/marketplace` reads one small object instead of the report.
 */
export const MarketplaceSummary = Type.Object({
  report: Type.String(),
  source_key: Type.String(),
  source_etag: Type.String(),
  processed_at: Type.String(),
  kpis: MarketplaceKpis,
  regional_analytics: Type.Array(RegionFigures),
  category_performance: Type.Array(CategoryFigures),
  monthly_trends: Type.Array(MonthFigures),
  metadata: MarketplaceMetadata,
  /** The lake objects this upload wrote: a re-upload of the report deletes those it no longer writes. */
  processed_keys: Type.Array(Type.String()),
});
export type MarketplaceSummary = Static<typeof MarketplaceSummary>;

/** Sums of one group (a state, a category, a month, a fulfilment), in cents, with its distinct orders. */
class Group {
  cents = 0;
  quantity = 0;
  readonly orders = new Set<string>();
  add(row: MarketplaceRow): void {
    this.cents += row.amount_cents ?? 0;
    this.quantity += row.quantity;
    this.orders.add(row.order_id);
  }
}

function groupOf(groups: Map<string, Group>, key: string): Group {
  let group = groups.get(key);
  if (group === undefined) {
    group = new Group();
    groups.set(key, group);
  }
  return group;
}

/** `part / whole` as a percentage with two decimals; 0 for an empty whole. */
function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 10_000) / whole) / 100;
}

/**
 * The KPIs of a report, fed one accepted row at a time in file order (a report is streamed, never held), in integer
 * cents. Holds the distinct Order IDs of each group, which is what "orders" needs.
 */
export class MarketplaceKpiAccumulator {
  private readonly all = new Group();
  private b2bCents = 0;
  private readonly fulfilment = { Amazon: new Group(), Merchant: new Group() };
  private readonly states = new Map<string, Group>();
  private readonly categories = new Map<string, Group>();
  private readonly months = new Map<string, Group>();
  private readonly records = { total: 0, active: 0, cancelled: 0, excluded: 0 };
  private firstDate: string | null = null;
  private lastDate: string | null = null;

  /** Counts `row`; only an active row adds to revenue, quantity and orders. */
  add(row: MarketplaceRow): void {
    this.records.total++;
    this.records[row.status_class]++;
    if (this.firstDate === null || row.business_date < this.firstDate) this.firstDate = row.business_date;
    if (this.lastDate === null || row.business_date > this.lastDate) this.lastDate = row.business_date;
    if (row.status_class !== 'active') return;
    this.all.add(row);
    if (row.b2b) this.b2bCents += row.amount_cents ?? 0;
    this.fulfilment[row.fulfilment].add(row);
    if (row.ship_state !== null) groupOf(this.states, row.ship_state.toUpperCase()).add(row);
    groupOf(this.categories, row.category).add(row);
    groupOf(this.months, row.business_date.slice(0, 7)).add(row);
  }

  /** The figures so far. `rejected` is the number of lines that failed validation; `currency` the report's. */
  result(
    rejected: number,
    currency: string | undefined,
  ): Omit<MarketplaceSummary, 'report' | 'source_key' | 'source_etag' | 'processed_at' | 'processed_keys'> {
    const total = this.all.cents;
    const fulfilment = (g: Group) => ({
      revenue: fromCents(g.cents),
      orders: g.orders.size,
      quantity: g.quantity,
      revenue_share_pct: percent(g.cents, total),
    });
    const byRevenue = (a: [string, Group], b: [string, Group]) => b[1].cents - a[1].cents || (a[0] < b[0] ? -1 : 1);
    return {
      kpis: {
        total_revenue: fromCents(total),
        total_orders: this.all.orders.size,
        average_order_value: fromCents(divideCents(total, this.all.orders.size)),
        total_quantity: this.all.quantity,
        b2b_revenue: fromCents(this.b2bCents),
        b2c_revenue: fromCents(total - this.b2bCents),
        b2b_share_pct: percent(this.b2bCents, total),
        fulfilment: { Amazon: fulfilment(this.fulfilment.Amazon), Merchant: fulfilment(this.fulfilment.Merchant) },
      },
      regional_analytics: [...this.states]
        .sort(byRevenue)
        .slice(0, TOP_STATES)
        .map(([state, g]) => ({ state, revenue: fromCents(g.cents), orders: g.orders.size, quantity: g.quantity })),
      category_performance: [...this.categories].sort(byRevenue).map(([category, g]) => ({
        category,
        revenue: fromCents(g.cents),
        quantity: g.quantity,
        orders: g.orders.size,
        average_order_value: fromCents(divideCents(g.cents, g.orders.size)),
      })),
      monthly_trends: [...this.months]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([month, g]) => ({ month, revenue: fromCents(g.cents), orders: g.orders.size, quantity: g.quantity })),
      metadata: {
        total_records: this.records.total,
        active_records: this.records.active,
        cancelled_records: this.records.cancelled,
        excluded_records: this.records.excluded,
        rejected_records: rejected,
        currency: currency ?? null,
        first_date: this.firstDate,
        last_date: this.lastDate,
      },
    };
  }
}
