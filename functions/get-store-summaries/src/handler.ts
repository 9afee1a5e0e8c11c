import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { StoreSummariesEvent } from './event';
import { gatherStoreSummaries, type StoreSummariesResult } from './summaries';

/**
 * First step of daily-analysis: the day's store summaries and each store's trailing history, written as the day's
 * facts document under `analysis/`. Returns its key and the store count (0: the day has no data).
 */
export const handler = defineHandler(
  {
    name: 'get-store-summaries',
    config: { SALES_TABLE: Env.SALES_TABLE, BUCKET_NAME: Env.BUCKET_NAME },
    event: StoreSummariesEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<StoreSummariesResult> => {
    const result = await gatherStoreSummaries(config.SALES_TABLE, config.BUCKET_NAME, event);
    logger.info('store summaries gathered', { stores: result.storeCount, history: result.historyCount });
    return result;
  },
);
