import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate } from './store-summary.schema';

const Count = Type.Integer({ minimum: 0 });

/** How many ids a finding lists by name: the rest are counted (the finding travels in Step Functions state). */
export const QUALITY_EXAMPLES = 10;

/** Rejected lines by field and rule (a line counts once for each field and rule at fault), most frequent first. */
export const QualityReason = Type.Object({ field: Type.String(), rule: Type.String(), lines: Count });
export type QualityReason = Static<typeof QualityReason>;

/**
 * Transaction ids that break one rule: how many, the lines they hold (when counted) and the first few, by name.
 * `lines` is absent for within-file duplicates: counting them would hold a line count per transaction of the file.
 */
export const TransactionFinding = Type.Object({
  transactions: Count,
  lines: Type.Optional(Count),
  examples: Type.Array(Type.String(), { maxItems: QUALITY_EXAMPLES }),
});
export type TransactionFinding = Static<typeof TransactionFinding>;

/**
 * The quality of one upload, computed in process-upload's single pass (docs/operations.md "Data quality"):
 * - `lines`, `accepted`, `rejected` (accepted + rejected = lines) and `reasons`;
 * - `duplicate_transactions`: ids used for more than one sale within the file (their accepted lines carry more than
 *   one instant or payment method: `data_integrity`'s `duplicate_within_partition`);
 * - `prefix_mismatches`: ids that do not start with `TXN-<the file's store>-` (`store_prefix_mismatch`);
 * - `reason`: why the file was rejected whole, when it was.
 */
export const UploadQuality = Type.Object({
  lines: Count,
  accepted: Count,
  rejected: Count,
  reasons: Type.Array(QualityReason, { maxItems: 200 }),
  duplicate_transactions: TransactionFinding,
  prefix_mismatches: TransactionFinding,
  reason: Type.Optional(Type.String()),
});
export type UploadQuality = Static<typeof UploadQuality>;

/** An earlier version of a store-day that an upload replaced (a correction): its ETag and when it was uploaded. */
export const ReplacedUpload = Type.Object({ etag: Type.String(), uploaded_at: Type.String() });
export type ReplacedUpload = Static<typeof ReplacedUpload>;

/**
 * One upload of a store-day as stored under `DAY#<date> / UPLOAD#<store>#<uploaded_at>#<etag>` (write-metrics):
 * its quality, and what its figures did: `processed` (stored), `stale` (an older version delivered after a newer one,
 * not stored), `rejected` (the file rejected whole). `replaced` names the version a correction replaced.
 */
export const UploadQualityRecord = Type.Object({
  store_id: Type.String(),
  date: BusinessDate,
  source_key: Type.String(),
  etag: Type.String(),
  uploaded_at: Type.String({ description: 'ISO 8601: the S3 event time' }),
  status: Type.Union([Type.Literal('processed'), Type.Literal('stale'), Type.Literal('rejected')]),
  replaced: Type.Optional(ReplacedUpload),
  ...UploadQuality.properties,
});
export type UploadQualityRecord = Static<typeof UploadQualityRecord>;

/** A transaction id found in the files of more than one store of the day, and the stores. */
export const CrossStoreDuplicate = Type.Object({
  transaction_id: Type.String(),
  stores: Type.Array(Type.String()),
  lines: Count,
});
export type CrossStoreDuplicate = Static<typeof CrossStoreDuplicate>;

/**
 * What the daily analysis found over the day's lake partitions (`DAY#<date> / QUALITY`): transaction ids in more than
 * one store's file (`data_integrity`'s `duplicate_across_partitions` over one day), counted, and the first few named.
 */
export const DayLakeQuality = Type.Object({
  date: BusinessDate,
  revision: Type.Integer({ minimum: 1 }),
  computed_at: Type.String(),
  stores_read: Count,
  cross_store_duplicates: Type.Object({
    transactions: Count,
    lines: Count,
    examples: Type.Array(CrossStoreDuplicate, { maxItems: QUALITY_EXAMPLES }),
  }),
});
export type DayLakeQuality = Static<typeof DayLakeQuality>;
