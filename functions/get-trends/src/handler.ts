import { defineHttpHandler, Env } from '@tillflow/aws';
import { TrendsQuery } from '@tillflow/core';
import { readTrends } from './trends';

/**
 * `GET /trends?store=&days=&date=`: daily net sales, transactions and basket of the company and of one store over
 * `days` days (1–366, default 30) ending on `date` (default the latest analysed day), with 7- and 30-day moving
 * averages, week over week, and the products rising and falling most.
 */
export const handler = defineHttpHandler(
  { name: 'get-trends', config: { SALES_TABLE: Env.SALES_TABLE }, query: TrendsQuery },
  async (_event, { config, query, logger }) => {
    const body = await readTrends(config.SALES_TABLE, { days: query.days ?? 30, to: query.date, store: query.store });
    logger.info('trends read', { from: body.from, to: body.to, store: query.store ?? null });
    return { statusCode: 200, body };
  },
);
