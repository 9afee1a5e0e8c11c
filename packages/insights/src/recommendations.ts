import { addDays, compareText, PAYMENT_METHODS, type PaymentMethod } from '@tillflow/core';
import { count, money, pct } from './format';
import { insightId } from './ids';
import type { InsightFacts } from './insight-facts.schema';
import type {
  Anomaly,
  Facts,
  InsightScope,
  Priority,
  Recommendation,
  RecommendationCategory,
  Trend,
} from './insights.schema';
import { resolveOptions, type StatisticalOptions } from './options';
import { round } from './stats';

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
const CATEGORY_ORDER: Record<RecommendationCategory, number> = {
  investigate: 0,
  restock: 1,
  promote: 2,
  payment_mix: 3,
};

/**
 * The prefix under which an anomaly's or trend's facts appear in a recommendation that rests on it, so that facts of
 * several pieces of evidence can sit side by side: `net_sales`, `net_sales_vs_peers`, `net_sales_trend`, ...
 */
export function factLabel(insight: Anomaly | Trend | Recommendation): string {
  if (insight.kind === 'anomaly') return insight.method === 'peers' ? `${insight.metric}_vs_peers` : insight.metric;
  if (insight.kind === 'trend') return `${insight.metric}_trend`;
  return insight.category;
}

/** The facts of every piece of `evidence`, each under its `factLabel` (the first wins on a clash). */
export function evidenceFacts(evidence: readonly (Anomaly | Trend | Recommendation)[]): Facts {
  const facts: Facts = {};
  for (const item of evidence) {
    const label = factLabel(item);
    for (const [key, value] of Object.entries(item.facts)) {
      const name = `${label}.${key}`;
      if (!(name in facts)) facts[name] = value;
    }
  }
  return facts;
}

/**
 * Recommendations by rule over the anomalies and trends (each carries the facts it rests on and the ids of its
 * evidence):
 *
 * - **investigate** a store whose net sales or transactions are unusually low (anomaly of medium severity or worse:
 *   high priority from high/critical) or whose net sales declined week over week by `investigateTrendPct` (15%) or
 *   more (medium from twice that, else low). One per store.
 * - **restock** a product in today's top list whose weekly units rose by `restockUnitsPct` (20%) or more with an
 *   improving net-sales trend (high from twice that, else medium).
 * - **promote** a product whose weekly net sales fell by `promoteDropPct` (20%) or more, the `maxPromotions` (5)
 *   largest losses (medium when it was at least 1% of the company's net sales the week before, else low).
 * - **payment_mix**: a payment method whose share of company net sales moved by `paymentShiftPp` (5) percentage points
 *   or more week over week (medium from twice that, else low).
 */
export function recommend(
  facts: InsightFacts,
  anomalies: readonly Anomaly[],
  trends: readonly Trend[],
  options: Partial<StatisticalOptions> = {},
): Recommendation[] {
  const o = resolveOptions(options);
  const recommendations = [
    ...investigate(facts.date, anomalies, trends, o),
    ...restock(facts, trends, o),
    ...promote(facts.date, trends, o),
    ...paymentMix(facts, o),
  ];
  return recommendations.sort(compareRecommendations);
}

/** The order recommendations are listed in, whoever wrote them: priority, then category, then subject. */
export function compareRecommendations(a: Recommendation, b: Recommendation): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] ||
    compareText(a.subject, b.subject)
  );
}

function make(
  date: string,
  scope: InsightScope,
  subject: string,
  category: RecommendationCategory,
  priority: Priority,
  action: string,
  evidence: readonly (Anomaly | Trend)[],
  rationale: string = evidence.map((e) => e.summary).join(' '),
  extraFacts: Facts = {},
): Recommendation {
  return {
    id: insightId(date, 'recommendation', scope, subject, category),
    date,
    kind: 'recommendation',
    scope,
    subject,
    category,
    priority,
    summary: action,
    action,
    rationale,
    evidence: evidence.map((e) => e.id),
    facts: { ...evidenceFacts(evidence), ...extraFacts },
  };
}

function investigate(
  date: string,
  anomalies: readonly Anomaly[],
  trends: readonly Trend[],
  o: StatisticalOptions,
): Recommendation[] {
  const byStore = new Map<string, { drops: Anomaly[]; trends: Trend[] }>();
  const entry = (id: string) => {
    let e = byStore.get(id);
    if (!e) {
      e = { drops: [], trends: [] };
      byStore.set(id, e);
    }
    return e;
  };
  for (const a of anomalies) {
    if (a.scope !== 'store' || a.direction !== 'below' || a.metric === 'avg_basket' || a.severity === 'low') continue;
    entry(a.subject).drops.push(a);
  }
  for (const t of trends) {
    if (t.scope !== 'store' || t.metric !== 'net_sales' || t.direction !== 'declining') continue;
    if (t.change_pct === null || t.change_pct > o.investigateTrendPct) continue;
    entry(t.subject).trends.push(t);
  }
  const out: Recommendation[] = [];
  for (const [store, { drops, trends: declines }] of byStore) {
    // Anomalies come ordered by severity, so the first is the one worth naming.
    const worst = drops[0];
    const trend = declines[0];
    let priority: Priority;
    let action: string;
    if (worst) {
      priority = worst.severity === 'critical' || worst.severity === 'high' ? 'high' : 'medium';
      const against = worst.method === 'peers' ? 'its peers' : 'its usual level';
      const what = worst.metric === 'net_sales' ? 'net sales are' : 'transactions are';
      action =
        `Investigate store ${store}: ${what} ${pct(worst.deviation_pct)} below ${against}; ` +
        'check opening hours, staffing, tills and stock.';
    } else if (trend) {
      priority = (trend.change_pct ?? 0) <= 2 * o.investigateTrendPct ? 'medium' : 'low';
      action =
        `Investigate store ${store}: net sales down ${pct(trend.change_pct ?? 0)} week over week; ` +
        'look for a local cause (competition, roadworks, staffing).';
    } else continue;
    out.push(make(date, 'store', store, 'investigate', priority, action, [...drops, ...declines]));
  }
  return out;
}

function restock(facts: InsightFacts, trends: readonly Trend[], o: StatisticalOptions): Recommendation[] {
  const today = facts.products.find((p) => p.date === facts.date);
  if (!today) return [];
  const rank = new Map(today.top.map((p, i) => [p.sku, { product: p, rank: i + 1 }]));
  const out: Recommendation[] = [];
  for (const t of trends) {
    if (t.scope !== 'product' || t.direction !== 'improving') continue;
    const top = rank.get(t.subject);
    const unitsChange = t.facts.units_change_pct;
    if (!top || unitsChange === undefined || unitsChange < o.restockUnitsPct) continue;
    const priority: Priority = unitsChange >= 2 * o.restockUnitsPct ? 'high' : 'medium';
    const action =
      `Restock ${t.subject}: units up ${pct(unitsChange)} week over week ` +
      `(${count(t.facts.units_current ?? 0)} against ${count(t.facts.units_previous ?? 0)}), ` +
      `#${top.rank} by net sales today in ${count(top.product.stores_count)} stores.`;
    out.push(
      make(facts.date, 'product', t.subject, 'restock', priority, action, [t], undefined, {
        'today.rank': top.rank,
        'today.units': top.product.units,
        'today.net_sales': top.product.net_sales,
        'today.stores_count': top.product.stores_count,
      }),
    );
  }
  return out;
}

function promote(date: string, trends: readonly Trend[], o: StatisticalOptions): Recommendation[] {
  const companyPrevious = trends.find((t) => t.scope === 'company' && t.metric === 'net_sales')?.previous;
  return trends
    .filter((t) => t.scope === 'product' && t.direction === 'declining' && (t.change_pct ?? 0) <= o.promoteDropPct)
    .sort((a, b) => b.previous - b.current - (a.previous - a.current) || compareText(a.subject, b.subject))
    .slice(0, o.maxPromotions)
    .map((t) => {
      const extra: Facts = {};
      let priority: Priority = 'low';
      if (companyPrevious !== undefined && companyPrevious > 0) {
        const share = round((t.previous / companyPrevious) * 100, 2);
        extra['company.previous_share_pct'] = share;
        if (share >= 1) priority = 'medium';
      }
      const action =
        `Promote ${t.subject}: net sales down ${pct(t.change_pct ?? 0)} week over week ` +
        `(${money(t.current)} against ${money(t.previous)}); consider a display, a bundle or a price promotion.`;
      return make(date, 'product', t.subject, 'promote', priority, action, [t], undefined, extra);
    });
}

const METHOD_LABEL: Record<PaymentMethod, string> = {
  cash: 'Cash',
  credit: 'Credit card',
  debit: 'Debit card',
  gift_card: 'Gift card',
  mobile: 'Mobile',
};
const METHOD_HINT: Record<PaymentMethod, { up: string; down: string }> = {
  cash: { up: 'keep enough float in the tills and review cash handling', down: 'the tills may need less float' },
  credit: { up: 'review card fees against the shift', down: 'check that card terminals work at every till' },
  debit: { up: 'review card fees against the shift', down: 'check that card terminals work at every till' },
  gift_card: {
    up: 'check gift card liability and look for misuse',
    down: 'consider reminding gift card holders of their balance',
  },
  mobile: {
    up: 'make sure every till accepts mobile payments',
    down: 'check that mobile payments are accepted at every till',
  },
};

function paymentMix(facts: InsightFacts, o: StatisticalOptions): Recommendation[] {
  const { date } = facts;
  const currentFrom = addDays(date, -6);
  const previousFrom = addDays(date, -13);
  // One figure per date, so that a series given with a day twice does not count it twice.
  const days = [...new Map(facts.company.map((c) => [c.date, c])).values()];
  const current = days.filter((c) => c.date >= currentFrom && c.date <= date);
  const previous = days.filter((c) => c.date >= previousFrom && c.date < currentFrom);
  if (current.length < o.minTrendDays || previous.length < o.minTrendDays) return [];
  const cents = (days: typeof current, method?: PaymentMethod) =>
    days.reduce((a, d) => a + Math.round((method ? d.payment_mix[method].net_sales : d.net_sales) * 100), 0);
  const totalCurrent = cents(current);
  const totalPrevious = cents(previous);
  if (totalCurrent <= 0 || totalPrevious <= 0) return [];

  const out: Recommendation[] = [];
  for (const method of PAYMENT_METHODS) {
    const netCurrent = cents(current, method);
    const netPrevious = cents(previous, method);
    const shareCurrent = round((netCurrent / totalCurrent) * 100, 1);
    const sharePrevious = round((netPrevious / totalPrevious) * 100, 1);
    const shift = round(shareCurrent - sharePrevious, 1);
    if (Math.abs(shift) < o.paymentShiftPp) continue;
    const rose = shift > 0;
    const action =
      `${METHOD_LABEL[method]} ${rose ? 'rose' : 'fell'} to ${pct(shareCurrent)} of net sales from ` +
      `${pct(sharePrevious)} the week before: ${rose ? METHOD_HINT[method].up : METHOD_HINT[method].down}.`;
    const priority: Priority = Math.abs(shift) >= 2 * o.paymentShiftPp ? 'medium' : 'low';
    const rationale =
      `${METHOD_LABEL[method]} took ${money(netCurrent / 100)} of ${money(totalCurrent / 100)} net sales over ` +
      `${count(current.length)} days this week against ${money(netPrevious / 100)} of ${money(totalPrevious / 100)} ` +
      `over ${count(previous.length)} days the week before.`;
    out.push(
      make(date, 'payment_method', method, 'payment_mix', priority, action, [], rationale, {
        share_current_pct: shareCurrent,
        share_previous_pct: sharePrevious,
        shift_pp: shift,
        net_current: netCurrent / 100,
        net_previous: netPrevious / 100,
        days_current: current.length,
        days_previous: previous.length,
        total_current: totalCurrent / 100,
        total_previous: totalPrevious / 100,
      }),
    );
  }
  return out;
}
