import { defineHandler, Env, putStoreSummary, type SummaryWrite } from '@tillflow/aws';
import type { StoreDayFigures } from '@tillflow/core';

export interface WriteMetricsEvent {
  figures: StoreDayFigures;
  sourceKey: string;
  etag: string;
  sequencer: string;
  rejectedLines: number;
  /** When the upload happened (the S3 event's time): a duplicate delivery then writes the very same item. */
  eventTime: string;
}

/**
 * Stores the store-day summary in DynamoDB. A corrected upload replaces the figures; an older version delivered late
 * does not (see putStoreSummary).
 */
export const handler = defineHandler(
  {
    name: 'write-metrics',
    config: { SALES_TABLE: Env.SALES_TABLE },
    correlationId: (e: WriteMetricsEvent) => `${e.sourceKey}#${e.etag}`,
  },
  async (event: WriteMetricsEvent, { config, logger }): Promise<SummaryWrite> => {
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
