import { defineHandler, Env, idempotentBy } from '@tillflow/aws';
import { type CheckResult, checkAllStores } from './check';
import { CheckStoresEvent } from './event';

/**
 * Records the store as reported for the date and, once every expected store has reported, claims the day's analysis
 * with a conditional write and starts daily-analysis under the name `<date>-r1`, so that it starts exactly once. A
 * corrected upload of an analysed day starts a re-analysis (`<date>-r<n>`). Idempotent per upload (key, ETag).
 */
export const handler = defineHandler(
  {
    name: 'check-all-stores',
    config: {
      SALES_TABLE: Env.SALES_TABLE,
      EXPECTED_STORES: Env.EXPECTED_STORES,
      DAILY_ANALYSIS_STATE_MACHINE_ARN: Env.DAILY_ANALYSIS_STATE_MACHINE_ARN,
    },
    event: CheckStoresEvent,
    correlationId: (e) => `${e.sourceKey}#${e.etag}`,
    idempotency: idempotentBy('[sourceKey, etag]'),
  },
  async (event, { config, logger }): Promise<CheckResult> => {
    const result = await checkAllStores(
      event,
      config.SALES_TABLE,
      config.EXPECTED_STORES,
      config.DAILY_ANALYSIS_STATE_MACHINE_ARN,
    );
    logger.info('store reported', {
      date: result.date,
      reported: result.reported,
      expected: result.expected,
      claimed: result.claimed,
      reanalysis: result.reanalysis,
      ...(result.execution ? { execution: result.execution.name, started: result.execution.started } : {}),
    });
    return result;
  },
);
