import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { DayLakeQuality, QualityReason, UploadQualityRecord } from '../quality.schema';
import { BusinessDate } from '../store-summary.schema';
import { DateParameter } from './common.schema';

/** `GET /quality?date=`. */
export const QualityQuery = Type.Object({ date: DateParameter });
export type QualityQuery = Static<typeof QualityQuery>;

const Count = Type.Integer({ minimum: 0 });

/** A store whose first upload of the day came after the day's analysis was claimed (after the cut-off). */
export const LateStore = Type.Object({ store_id: Type.String(), first_upload_at: Type.String() });
export type LateStore = Static<typeof LateStore>;

/**
 * `GET /quality?date=` 200: the day's data quality (docs/operations.md "Data quality"). The totals are those of each
 * store's current upload (the one whose figures are stored), so a correction does not count a store's lines twice;
 * `uploads` lists every upload of the day, corrections and stale deliveries included. `lake` is what the daily
 * analysis found across the stores' files, null until the day has been analysed.
 */
export const QualityResponse = Type.Object({
  date: BusinessDate,
  totals: Type.Object({
    uploads: Count,
    files_rejected: Count,
    corrections: Count,
    stale: Count,
    lines: Count,
    accepted: Count,
    rejected: Count,
    reasons: Type.Array(QualityReason),
    duplicate_transactions: Count,
    prefix_mismatches: Type.Object({ transactions: Count, lines: Count }),
  }),
  stores: Type.Object({
    expected: Type.Array(Type.String()),
    reported: Type.Array(Type.String()),
    missing: Type.Array(Type.String()),
    late: Type.Array(LateStore),
    unexpected: Type.Array(Type.String()),
  }),
  analysis: Type.Union([
    Type.Object({ claimed_at: Type.String(), revision: Type.Integer({ minimum: 1 }) }),
    Type.Null(),
  ]),
  lake: Type.Union([DayLakeQuality, Type.Null()]),
  uploads: Type.Array(UploadQualityRecord),
});
export type QualityResponse = Static<typeof QualityResponse>;
