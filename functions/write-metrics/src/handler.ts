import { defineHandler, Env, putStoreSummary, type SummaryWrite } from '@tillflow/aws';
import { WriteMetricsEvent } from './event';

/**
 * Stores the store-day summary in DynamoDB. A corrected upload replaces the figures; an older version delivered late
 * does not (see putStoreSummary).
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
    logger.info('store summary written', { ...result });
    return result;
  },
);
