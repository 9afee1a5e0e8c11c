import { queryAnalysedDates, queryCompanySeries, queryProductDays, queryStoreSeries } from '@tillflow/aws';
import {
  addDays,
  buildSeries,
  NotFoundError,
  productTrends,
  type SeriesDay,
  type TrendSeries,
  type TrendsResponse,
  weekOverWeek,
} from '@tillflow/core';

/** Days before the window that the 30-day moving average of its first day needs. */
const MA_HISTORY_DAYS = 29;

/** What `GET /trends` was asked: `days` days ending on `to` (default the latest analysed day), and one store or none. */
export interface TrendsRequest {
  days: number;
  to: string | undefined;
  store: string | undefined;
}

function series(days: readonly SeriesDay[], from: string, to: string): TrendSeries {
  return { points: buildSeries(days, from, to), week_over_week: weekOverWeek(days, to) };
}

/**
 * The series of the company (and of one store) over the window, each day's figures read with one Query per partition
 * over the window and the history its moving averages and week over week need; product trends from the product
 * items of the last 14 days.
 */
export async function readTrends(table: string, request: TrendsRequest): Promise<TrendsResponse> {
  const to = request.to ?? (await queryAnalysedDates(table))[0]?.date;
  if (!to) throw new NotFoundError('no day has been analysed yet');
  const from = addDays(to, -(request.days - 1));
  const historyFrom = addDays(from < addDays(to, -13) ? from : addDays(to, -13), -MA_HISTORY_DAYS);
  const [company, store, products] = await Promise.all([
    queryCompanySeries(table, historyFrom, to),
    request.store ? queryStoreSeries(table, request.store, historyFrom, to) : Promise.resolve(undefined),
    queryProductDays(table, addDays(to, -13), to),
  ]);
  return {
    from,
    to,
    days: request.days,
    company: series(company, from, to),
    store: store && request.store ? { store_id: request.store, ...series(store, from, to) } : null,
    products: productTrends(products, to),
  };
}
