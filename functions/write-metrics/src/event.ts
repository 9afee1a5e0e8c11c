import { BusinessDate, STORE_ID_RE, StoreDayFigures, UploadQuality } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** What every upload write-metrics records carries: where it comes from, when, and its data quality. */
const Upload = {
  sourceKey: Type.String({ minLength: 1 }),
  etag: Type.String({ minLength: 1 }),
  /** The S3 event's sequencer: orders versions of the same key, so a late older version does not win. */
  sequencer: Type.String({ minLength: 1 }),
  /** When the upload happened (the S3 event's time): a duplicate delivery then writes the very same item. */
  eventTime: Type.String({ minLength: 1 }),
  /** process-upload's quality of the upload (packages/core/src/quality.ts), recorded for `GET /quality`. */
  quality: UploadQuality,
};

/** A processed upload: the store-day figures process-upload computed, stored with the upload's quality. */
const ProcessedUploadEvent = Type.Object({
  figures: StoreDayFigures,
  rejectedLines: Type.Integer({ minimum: 0 }),
  ...Upload,
});
export type ProcessedUploadEvent = Static<typeof ProcessedUploadEvent>;

/** A store-day file rejected whole (no valid line, unreadable, too large): only its quality is recorded. */
const RejectedUploadEvent = Type.Object({
  storeId: Type.String({ pattern: STORE_ID_RE.source }),
  date: BusinessDate,
  ...Upload,
});
export type RejectedUploadEvent = Static<typeof RejectedUploadEvent>;

/** write-metrics' event: a processed upload (its figures) or a store-day file rejected whole. */
export const WriteMetricsEvent = Type.Union([ProcessedUploadEvent, RejectedUploadEvent]);
export type WriteMetricsEvent = Static<typeof WriteMetricsEvent>;
