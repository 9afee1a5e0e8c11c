import { defineHttpHandler, Env } from '@tillflow/aws';
import { AnalyticsQuery, dateInTimeZone } from '@tillflow/core';
import { readAnalytics } from './analytics';

/** A past day whose figures are final changes only if a store re-uploads; a day of caching is safe with the ETag. */
const FINAL_DAY_CACHE_SECONDS = 86_400;

/**
 * `GET /analytics?date=`: the company KPIs, the stores, top and bottom products, insights with severity and the day's
 * status. Without `date`, the latest analysed day; a date without analysis is a 404 that lists the nearest analysed
 * days. A past day whose figures are complete answers with an ETag (304 on If-None-Match).
 */
export const handler = defineHttpHandler(
  {
    name: 'get-analytics',
    config: { SALES_TABLE: Env.SALES_TABLE, DAILY_ANALYSIS_TIMEZONE: Env.DAILY_ANALYSIS_TIMEZONE },
    query: AnalyticsQuery,
  },
  async (_event, { config, query, logger }) => {
    const today = dateInTimeZone(new Date(), config.DAILY_ANALYSIS_TIMEZONE);
    const { body, final } = await readAnalytics(config.SALES_TABLE, query.date, today);
    logger.info('analytics read', { date: body.date, stores: body.stores.length, final });
    return { statusCode: 200, body, ...(final ? { cacheSeconds: FINAL_DAY_CACHE_SECONDS } : {}) };
  },
);
