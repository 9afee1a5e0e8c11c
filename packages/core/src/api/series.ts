import { addDays } from '../dates';
import { divideCents, fromCents } from '../money';
import type { ProductDayFigures } from '../product-metrics.schema';

/** Stored money has two decimals; its cents are exact after rounding away binary representation error. */
function cents(value: number): number {
  return Math.round(value * 100);
}

/** A day's figures of a series; a day with no figures is absent. */
export interface SeriesDay {
  date: string;
  net_sales: number;
  transactions: number;
}

/** One point of a calendar series, as `GET /trends` answers it. */
export interface SeriesPoint {
  date: string;
  reported: boolean;
  net_sales: number;
  transactions: number;
  avg_basket: number;
  net_sales_ma7: number | null;
  net_sales_ma30: number | null;
}

/** Week over week, as `GET /trends` answers it. */
export interface WeekChange {
  net_sales: number;
  previous_net_sales: number;
  net_sales_change_pct: number | null;
  transactions: number;
  previous_transactions: number;
  transactions_change_pct: number | null;
}

/** Every calendar day from `from` to `to`, inclusive. */
export function calendarDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** `(current - previous) / previous` in percent, two decimals; null when previous is 0 (no base to compare with). */
export function changePct(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 10_000) / 100;
}

/**
 * The mean net sales of the days with figures among the `window` calendar days ending on `date`, in cents and back,
 * so that sums of decimals do not drift; null when none of those days has figures. Days without figures are left out
 * rather than counted as 0: a store that did not report did not sell nothing.
 */
function movingAverage(byDate: ReadonlyMap<string, SeriesDay>, date: string, window: number): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < window; i++) {
    const day = byDate.get(addDays(date, -i));
    if (!day) continue;
    sum += cents(day.net_sales);
    n++;
  }
  return n === 0 ? null : fromCents(divideCents(sum, n));
}

/**
 * The calendar series from `from` to `to` of `days` (which may start up to 29 days before `from`: the moving averages'
 * history). A day without figures is a point with `reported: false` and zeros, so that a chart's axis is the calendar.
 * The average basket is net sales / transactions in cents, as the stored figures compute it.
 */
export function buildSeries(days: readonly SeriesDay[], from: string, to: string): SeriesPoint[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  return calendarDays(from, to).map((date) => {
    const day = byDate.get(date);
    const net = day?.net_sales ?? 0;
    const transactions = day?.transactions ?? 0;
    return {
      date,
      reported: day !== undefined,
      net_sales: net,
      transactions,
      avg_basket: transactions === 0 ? 0 : fromCents(divideCents(cents(net), transactions)),
      net_sales_ma7: movingAverage(byDate, date, 7),
      net_sales_ma30: movingAverage(byDate, date, 30),
    };
  });
}

/** The 7 days ending on `to` against the 7 before them, summed over the days with figures. */
export function weekOverWeek(days: readonly SeriesDay[], to: string): WeekChange {
  const sum = (from: string, until: string) => {
    let total = 0;
    let transactions = 0;
    for (const d of days) {
      if (d.date < from || d.date > until) continue;
      total += cents(d.net_sales);
      transactions += d.transactions;
    }
    return { net: fromCents(total), transactions };
  };
  const current = sum(addDays(to, -6), to);
  const previous = sum(addDays(to, -13), addDays(to, -7));
  return {
    net_sales: current.net,
    previous_net_sales: previous.net,
    net_sales_change_pct: changePct(current.net, previous.net),
    transactions: current.transactions,
    previous_transactions: previous.transactions,
    transactions_change_pct: changePct(current.transactions, previous.transactions),
  };
}

/** The analysed days closest to `date` (at most `count`, ascending), for a 404 that says where the data is. */
export function nearestDates(date: string, analysed: readonly string[], count = 5): string[] {
  const distance = (d: string) => Math.abs(Date.parse(`${d}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`));
  return [...analysed]
    .sort((a, b) => distance(a) - distance(b) || (a < b ? -1 : 1))
    .slice(0, count)
    .sort();
}

/** A product's week over week, as `GET /trends` answers it. */
export interface ProductChange {
  sku: string;
  name: string;
  net_sales: number;
  previous_net_sales: number;
  change_pct: number | null;
  units: number;
  previous_units: number;
  direction: 'improving' | 'declining' | 'stable';
}

/** A change within ±5% (or no sales either week) is stable: the noise of a week's sales. */
const STABLE_PCT = 5;

/**
 * Company-wide product trends: each SKU's net sales and units over the 7 days ending on `to` against the 7 before
 * (every SKU sold in either week, from the days' full product lists), the `limit` largest rises and falls by change
 * in net sales. Names come from the days' ranked lists, else the SKU stands for its name.
 */
export function productTrends(
  days: readonly ProductDayFigures[],
  to: string,
  limit = 10,
): { rising: ProductChange[]; falling: ProductChange[] } {
  const currentFrom = addDays(to, -6);
  const previousFrom = addDays(to, -13);
  const bySku = new Map<string, { now: number; before: number; units: number; unitsBefore: number }>();
  const names = new Map<string, string>();
  for (const day of days) {
    if (day.date < previousFrom || day.date > to) continue;
    const current = day.date >= currentFrom;
    for (const ranked of [...day.top, ...day.bottom]) names.set(ranked.sku, ranked.name);
    for (const p of day.products) {
      const acc = bySku.get(p.sku) ?? { now: 0, before: 0, units: 0, unitsBefore: 0 };
      if (current) {
        acc.now += cents(p.net_sales);
        acc.units += p.units;
      } else {
        acc.before += cents(p.net_sales);
        acc.unitsBefore += p.units;
      }
      bySku.set(p.sku, acc);
    }
  }
  const changes: ProductChange[] = [...bySku].map(([sku, a]) => {
    const pct = changePct(a.now, a.before);
    const direction =
      pct === null
        ? a.now > 0
          ? 'improving'
          : 'stable'
        : pct > STABLE_PCT
          ? 'improving'
          : pct < -STABLE_PCT
            ? 'declining'
            : 'stable';
    return {
      sku,
      name: names.get(sku) ?? sku,
      net_sales: fromCents(a.now),
      previous_net_sales: fromCents(a.before),
      change_pct: pct,
      units: a.units,
      previous_units: a.unitsBefore,
      direction,
    };
  });
  const delta = (c: ProductChange) => c.net_sales - c.previous_net_sales;
  const rising = changes
    .filter((c) => c.direction === 'improving')
    .sort((a, b) => delta(b) - delta(a) || (a.sku < b.sku ? -1 : 1))
    .slice(0, limit);
  const falling = changes
    .filter((c) => c.direction === 'declining')
    .sort((a, b) => delta(a) - delta(b) || (a.sku < b.sku ? -1 : 1))
    .slice(0, limit);
  return { rising, falling };
}
