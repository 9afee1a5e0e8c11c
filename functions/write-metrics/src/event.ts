import { StoreDayFigures } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** write-metrics' event: the store-day figures process-upload computed, and the upload they come from. */
export const WriteMetricsEvent = Type.Object({
  figures: StoreDayFigures,
  sourceKey: Type.String({ minLength: 1 }),
  etag: Type.String({ minLength: 1 }),
  /** The S3 event's sequencer: orders versions of the same key, so a late older version does not win. */
  sequencer: Type.String({ minLength: 1 }),
  rejectedLines: Type.Integer({ minimum: 0 }),
  /** When the upload happened (the S3 event's time): a duplicate delivery then writes the very same item. */
  eventTime: Type.String({ minLength: 1 }),
});
export type WriteMetricsEvent = Static<typeof WriteMetricsEvent>;
