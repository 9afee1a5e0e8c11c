import { addDays, type CompanyDayFigures, compareText, type ProductSales, type StoreDayFigures } from '@tillflow/core';
import { count, money, pct } from './format';
import { insightId } from './ids';
import type { InsightFacts } from './insight-facts.schema';
import type { Facts, InsightScope, Trend, TrendDirection } from './insights.schema';
import { resolveOptions, type StatisticalOptions } from './options';
import { pairedTTest, round } from './stats';

type TrendMetric = Trend['metric'];
type ValueOn = (date: string) => number | undefined;

/** The same-weekday pairs of the last two weeks and what they say. */
export interface WeekComparison {
  current: number;
  previous: number;
  changePct: number | null;
  days: number;
  t: number;
  significant: boolean;
  direction: TrendDirection;
}

const SCOPE_ORDER: Record<InsightScope, number> = { company: 0, store: 1, product: 2, payment_method: 3 };

/**
 * Week over week, for the company, each store and each product: the 7 days ending on the date against the 7 before.
 *
 * Each day is paired with the same weekday a week earlier (a day missing from either week drops the pair; at least
 * `minTrendDays`, 4, pairs are needed). The direction is decided by a **paired t-test** on the daily differences
 * (two-sided, 5%) **and** a materiality band: `improving` when the change is significant and at least +`trendBandPct`
 * (5%), `declining` when significant and at most −5%, otherwise `stable`. Pairing by weekday takes the weekly pattern
 * out of the noise; the band keeps a tiny but consistent change from being called a trend.
 *
 * Company and store trends are all reported (stable included) for net sales and transactions; product trends only
 * when not stable, on net sales, the `maxProductTrends` (20) largest changes, each with its units in `facts`. A product
 * missing from a day's product list sold nothing that day.
 */
export function analyzeTrends(facts: InsightFacts, options: Partial<StatisticalOptions> = {}): Trend[] {
  const o = resolveOptions(options);
  const { date } = facts;
  const from = addDays(date, -13);
  const inWindow = (d: string) => d >= from && d <= date;
  const trends: Trend[] = [];

  const company = new Map<string, CompanyDayFigures>();
  for (const day of facts.company) if (inWindow(day.date)) company.set(day.date, day);
  for (const metric of ['net_sales', 'transactions'] as const) {
    const trend = build(date, 'company', 'company', metric, (d) => company.get(d)?.[metric], o);
    if (trend) trends.push(trend);
  }

  const stores = new Map<string, Map<string, StoreDayFigures>>();
  for (const day of [...facts.storeHistory, ...facts.stores]) {
    if (!inWindow(day.date)) continue;
    let days = stores.get(day.store_id);
    if (!days) {
      days = new Map();
      stores.set(day.store_id, days);
    }
    days.set(day.date, day);
  }
  for (const id of [...stores.keys()].sort(compareText)) {
    const days = stores.get(id) as Map<string, StoreDayFigures>;
    for (const metric of ['net_sales', 'transactions'] as const) {
      const trend = build(date, 'store', id, metric, (d) => days.get(d)?.[metric], o);
      if (trend) trends.push(trend);
    }
  }

  trends.push(...productTrends(facts, inWindow, o));
  return trends.sort(
    (a, b) =>
      SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] ||
      compareText(a.subject, b.subject) ||
      compareText(a.metric, b.metric),
  );
}

function productTrends(facts: InsightFacts, inWindow: (d: string) => boolean, o: StatisticalOptions): Trend[] {
  const days = new Map<string, Map<string, ProductSales>>();
  for (const day of facts.products) {
    if (inWindow(day.date)) days.set(day.date, new Map(day.products.map((p) => [p.sku, p])));
  }
  const skus = new Set<string>();
  for (const products of days.values()) for (const sku of products.keys()) skus.add(sku);

  const found: { trend: Trend; change: number }[] = [];
  for (const sku of [...skus].sort(compareText)) {
    const on =
      (field: 'net_sales' | 'units'): ValueOn =>
      (d) => {
        const products = days.get(d);
        return products ? (products.get(sku)?.[field] ?? 0) : undefined;
      };
    const trend = build(facts.date, 'product', sku, 'net_sales', on('net_sales'), o);
    if (!trend || trend.direction === 'stable') continue;
    const units = compareWeeks(facts.date, on('units'), false, o);
    if (units) {
      trend.facts.units_current = units.current;
      trend.facts.units_previous = units.previous;
      if (units.changePct !== null) trend.facts.units_change_pct = units.changePct;
    }
    found.push({ trend, change: Math.abs(trend.current - trend.previous) });
  }
  return found
    .sort((a, b) => b.change - a.change || compareText(a.trend.subject, b.trend.subject))
    .slice(0, o.maxProductTrends)
    .map((f) => f.trend);
}

/**
 * Compares the last 7 days ending on `date` with the 7 before, weekday by weekday (see `analyzeTrends`). Money is
 * summed in cents. Undefined when fewer than `minTrendDays` pairs exist.
 */
export function compareWeeks(
  date: string,
  valueOn: ValueOn,
  isMoney: boolean,
  options: Partial<StatisticalOptions> = {},
): WeekComparison | undefined {
  const o = resolveOptions(options);
  const current: number[] = [];
  const previous: number[] = [];
  for (let k = 0; k < 7; k++) {
    const c = valueOn(addDays(date, -k));
    const p = valueOn(addDays(date, -k - 7));
    if (c === undefined || p === undefined) continue;
    current.push(c);
    previous.push(p);
  }
  if (current.length < o.minTrendDays) return undefined;
  const total = (values: number[]) =>
    isMoney ? values.reduce((a, v) => a + Math.round(v * 100), 0) / 100 : values.reduce((a, v) => a + v, 0);
  const cur = total(current);
  const prev = total(previous);
  const test = pairedTTest(current, previous);
  const changePct = prev === 0 ? null : round(((cur - prev) / Math.abs(prev)) * 100, 1);
  let direction: TrendDirection = 'stable';
  if (test.significant) {
    if (changePct === null ? cur > prev : changePct >= o.trendBandPct) direction = 'improving';
    else if (changePct !== null && changePct <= -o.trendBandPct) direction = 'declining';
  }
  return {
    current: cur,
    previous: prev,
    changePct,
    days: current.length,
    t: test.t,
    significant: test.significant,
    direction,
  };
}

function build(
  date: string,
  scope: InsightScope,
  subject: string,
  metric: TrendMetric,
  valueOn: ValueOn,
  o: StatisticalOptions,
): Trend | undefined {
  const isMoney = metric === 'net_sales';
  const w = compareWeeks(date, valueOn, isMoney, o);
  if (!w) return undefined;
  const fmt = isMoney ? money : count;
  const facts: Facts = {
    current: w.current,
    previous: w.previous,
    change: isMoney ? round(w.current - w.previous, 2) : w.current - w.previous,
    days: w.days,
  };
  if (w.changePct !== null) facts.change_pct = w.changePct;
  if (Number.isFinite(w.t)) facts.t_stat = round(w.t, 2);
  const who = scope === 'company' ? 'Company' : scope === 'store' ? `Store ${subject}` : `Product ${subject}`;
  const what = metric === 'net_sales' ? 'net sales' : 'transactions';
  let change = 'unchanged';
  if (w.changePct === null) change = w.current > 0 ? 'new this week' : 'none either week';
  else if (w.changePct !== 0) change = `${w.changePct > 0 ? 'up' : 'down'} ${pct(w.changePct)}`;
  return {
    id: insightId(date, 'trend', scope, subject, metric),
    date,
    kind: 'trend',
    scope,
    subject,
    metric,
    direction: w.direction,
    current: w.current,
    previous: w.previous,
    change_pct: w.changePct,
    days: w.days,
    significant: w.significant,
    summary:
      `${who} ${what} ${fmt(w.current)} this week against ${fmt(w.previous)} on the same weekdays before: ${change}, ` +
      `${w.direction} (${w.days} same-weekday pairs, ${w.significant ? 'significant' : 'not significant'} at 5%).`,
    facts,
  };
}
