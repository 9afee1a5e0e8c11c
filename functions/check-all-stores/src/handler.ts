import { defineHandler, Env } from '@tillflow/aws';
import { type CheckResult, type CheckStoresEvent, checkAllStores } from './check';

/**
 * Records the store as reported for the date and, once every expected store has reported, claims the day's analysis
 * with a conditional write so that it starts exactly once. Idempotent per upload (key, ETag).
 */
export const handler = defineHandler(
  {
    name: 'check-all-stores',
    config: { SALES_TABLE: Env.SALES_TABLE, EXPECTED_STORES: Env.EXPECTED_STORES },
    correlationId: (e: CheckStoresEvent) => `${e.sourceKey}#${e.etag}`,
    idempotency: { eventKey: '[sourceKey, etag]' },
  },
  async (event: CheckStoresEvent, { config, logger }): Promise<CheckResult> => {
    const result = await checkAllStores(event, config.SALES_TABLE, config.EXPECTED_STORES);
    logger.info('store reported', {
      date: result.date,
      reported: result.reported,
      expected: result.expected,
      claimed: result.claimed,
      reanalysis: result.reanalysis,
    });
    return result;
  },
);
