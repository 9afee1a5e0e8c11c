import { defineHttpHandler, Env } from '@tillflow/aws';
import { QualityQuery } from '@tillflow/core';
import { readQuality } from './quality';

/**
 * `GET /quality?date=`: the day's data quality (docs/operations.md "Data quality"): lines accepted and rejected and
 * why, duplicate transaction ids within and across files, store-prefix mismatches, corrections, late and missing
 * stores, and every upload of the day. 404 for a day nothing was uploaded for.
 */
export const handler = defineHttpHandler(
  {
    name: 'get-quality',
    config: { SALES_TABLE: Env.SALES_TABLE, EXPECTED_STORES: Env.EXPECTED_STORES },
    query: QualityQuery,
  },
  async (_event, { config, query, logger }) => {
    const quality = await readQuality(config.SALES_TABLE, config.EXPECTED_STORES, query.date);
    logger.info('quality read', {
      date: query.date,
      uploads: quality.totals.uploads,
      missing: quality.stores.missing.length,
      analysed: quality.lake !== null,
    });
    return { statusCode: 200, body: quality };
  },
);
