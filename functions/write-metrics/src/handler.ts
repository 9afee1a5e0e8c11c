import { defineHandler, Env, putStoreSummary, recordStoreInIndex, type SummaryWrite } from '@tillflow/aws';
import { WriteMetricsEvent } from './event';

/**
 * Stores the store-day summary in DynamoDB. A corrected upload replaces the figures; an older version delivered late
 * does not (see putStoreSummary). The store index (`GET /stores`) learns the store's day too.
 */
export const handler = defineHandler(
  {
    name: 'write-metrics',
    config: { SALES_TABLE: Env.SALES_TABLE },
    event: WriteMetricsEvent,
    correlationId: (e) => `${e.sourceKey}#${e.etag}`,
  },
  async (event, { config, logger }): Promise<SummaryWrite> => {
    const result = await putStoreSummary(
      config.SALES_TABLE,
      {
        ...event.figures,
        source_key: event.sourceKey,
        source_etag: event.etag,
        rejected_lines: event.rejectedLines,
        updated_at: event.eventTime,
      },
      event.sequencer,
    );
    if (!result.stale) await recordStoreInIndex(config.SALES_TABLE, event.figures.store_id, event.figures.date);
    logger.info('store summary written', { ...result });
    return result;
  },
);
