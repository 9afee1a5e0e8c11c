import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { StoreSummariesEvent } from './event';
import { gatherStoreSummaries, type StoreSummariesResult } from './summaries';

/**
 * First step of daily-analysis: the day's store summaries and each store's trailing history, written as the day's
 * facts document under `analysis/`. Returns its key, the store count (0: the day has no data) and the revision
 * analysed, which is the day's current one when the event names none (a manual `{"date": …}` start).
 */
export const handler = defineHandler(
  {
    name: 'get-store-summaries',
    config: { SALES_TABLE: Env.SALES_TABLE, BUCKET_NAME: Env.BUCKET_NAME },
    event: StoreSummariesEvent,
    correlationId: (e) =>
      e.revision === undefined ? e.date : analysisCorrelationId({ date: e.date, revision: e.revision }),
  },
  async (event, { config, logger }): Promise<StoreSummariesResult> => {
    const result = await gatherStoreSummaries(config.SALES_TABLE, config.BUCKET_NAME, event);
    logger.info('store summaries gathered', {
      stores: result.storeCount,
      history: result.historyCount,
      revision: result.revision,
      ...(event.revision === undefined ? { resolved: true } : {}),
    });
    return result;
  },
);
