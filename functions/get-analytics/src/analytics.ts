import { type AnalysedDay, queryAnalysedDates, readAnalysedDay } from '@tillflow/aws';
import {
  type AnalyticsResponse,
  DateNotAnalysedError,
  type DayStatusView,
  NotFoundError,
  nearestDates,
  type StoreFigures,
} from '@tillflow/core';
import { flattenInsights } from './insights';

/** The answer, and whether it can change (a re-analysis pending, a store still missing, the day not over). */
export interface DayAnalytics {
  body: AnalyticsResponse;
  final: boolean;
}

/**
 * A day's analytics: the latest analysed day when `date` is undefined; a DateNotAnalysedError listing the nearest
 * analysed days when `date` has no analysis (never another day's figures in its place).
 */
export async function readAnalytics(table: string, date: string | undefined, today: string): Promise<DayAnalytics> {
  const day = date ?? (await queryAnalysedDates(table))[0]?.date;
  if (!day) throw new NotFoundError('no day has been analysed yet');
  const stored = await readAnalysedDay(table, day);
  if (!stored.company) {
    const analysed = (await queryAnalysedDates(table)).map((d) => d.date);
    throw new DateNotAnalysedError(day, nearestDates(day, analysed));
  }
  const body = toResponse(stored as AnalysedDay & { company: NonNullable<AnalysedDay['company']> });
  return { body, final: body.status.complete && body.date < today };
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100);

function toResponse(day: AnalysedDay & { company: NonNullable<AnalysedDay['company']> }): AnalyticsResponse {
  const c = day.company;
  const analysed = new Set(c.reported_stores);
  const stores: StoreFigures[] = day.stores
    .filter((s) => analysed.has(s.store_id))
    .sort((a, b) => b.net_sales - a.net_sales || (a.store_id < b.store_id ? -1 : 1))
    .map((s, i) => {
      const { source_key: _k, source_etag: _e, updated_at: _u, ...figures } = s;
      return { ...figures, share_pct: pct(s.net_sales, c.net_sales), rank: i + 1 };
    });
  const status = dayStatus(day);
  const insights = day.insights;
  return {
    date: c.date,
    company: {
      gross_sales: c.gross_sales,
      discounts: c.discounts,
      net_sales: c.net_sales,
      transactions: c.transactions,
      items: c.items,
      lines: c.lines,
      avg_basket: c.avg_basket,
      units_per_transaction: c.units_per_transaction,
      payment_mix: c.payment_mix,
      hourly: c.hourly,
      discount_rate_pct: pct(c.discounts, c.gross_sales),
    },
    payment_mix: c.payment_mix,
    stores,
    best_store: c.best_store,
    worst_store: c.worst_store,
    products: {
      total_products: day.products?.total_products ?? 0,
      top: day.products?.top ?? [],
      bottom: day.products?.bottom ?? [],
    },
    insights: {
      provider: insights?.provider ?? 'none',
      degraded: insights?.degraded ?? false,
      summary: insights?.summary ?? '',
      items: insights ? flattenInsights(insights) : [],
    },
    status,
  };
}

/**
 * Who is in the figures and who is not: a store in the day's reported set but not in the analysed figures reported
 * after the analysis (late: a re-analysis follows); an expected store in neither never reported (missing).
 */
function dayStatus(day: AnalysedDay & { company: NonNullable<AnalysedDay['company']> }): DayStatusView {
  const c = day.company;
  const inFigures = new Set(c.reported_stores);
  const reported = day.status?.reported_stores ?? c.reported_stores;
  const late = reported.filter((s) => !inFigures.has(s));
  const reportedSet = new Set(reported);
  const missing = c.missing_stores.filter((s) => !reportedSet.has(s));
  const latest = Math.max(day.status?.analysis_revision ?? 1, c.analysis_revision);
  return {
    stores_expected: c.stores_expected,
    stores_reported: c.stores_reported,
    reported_stores: c.reported_stores,
    missing_stores: missing,
    late_stores: late,
    unexpected_stores: c.unexpected_stores,
    analysis_revision: c.analysis_revision,
    latest_revision: latest,
    analysis_claimed_at: day.status?.analysis_claimed_at ?? null,
    complete: missing.length === 0 && late.length === 0 && latest === c.analysis_revision,
  };
}
