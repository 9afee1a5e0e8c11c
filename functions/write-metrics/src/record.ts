import { putStoreSummary, putUploadQuality, recordStoreInIndex, type SummaryWrite } from '@tillflow/aws';
import type { UploadQualityRecord } from '@tillflow/core';
import type { ProcessedUploadEvent, WriteMetricsEvent } from './event';

/** What write-metrics did: the summary write (SummaryWrite) and whether the upload's quality record was new. */
export type UploadWrite = SummaryWrite & { quality_recorded: boolean };

/** The upload's quality record (`GET /quality`), from the event and what its figures did. */
export function qualityRecord(
  event: WriteMetricsEvent,
  storeDay: { storeId: string; date: string },
  write: SummaryWrite | undefined,
): UploadQualityRecord {
  return {
    store_id: storeDay.storeId,
    date: storeDay.date,
    source_key: event.sourceKey,
    etag: event.etag,
    uploaded_at: event.eventTime,
    status: write === undefined ? 'rejected' : write.stale ? 'stale' : 'processed',
    ...(write?.previous ? { replaced: write.previous } : {}),
    ...event.quality,
  };
}

function isProcessed(event: WriteMetricsEvent): event is ProcessedUploadEvent {
  return 'figures' in event;
}

/**
 * Stores a processed upload's store-day summary (a corrected upload replaces the figures, an older version delivered
 * late does not: see putStoreSummary) and adds the store's day to the store index; then records the upload's quality,
 * with the version it replaced. A file rejected whole has only its quality recorded.
 */
export async function recordUpload(table: string, event: WriteMetricsEvent): Promise<UploadWrite> {
  if (!isProcessed(event)) {
    const recorded = await putUploadQuality(table, qualityRecord(event, event, undefined));
    return { replaced: false, stale: false, quality_recorded: recorded };
  }
  const { figures } = event;
  const write = await putStoreSummary(
    table,
    {
      ...figures,
      source_key: event.sourceKey,
      source_etag: event.etag,
      rejected_lines: event.rejectedLines,
      updated_at: event.eventTime,
    },
    event.sequencer,
  );
  if (!write.stale) await recordStoreInIndex(table, figures.store_id, figures.date);
  const storeDay = { storeId: figures.store_id, date: figures.date };
  const recorded = await putUploadQuality(table, qualityRecord(event, storeDay, write));
  return { ...write, quality_recorded: recorded };
}
