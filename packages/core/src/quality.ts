import type { LateStore, QualityResponse } from './api/quality.schema';
import type { CanonicalRow } from './canonical-row.schema';
import {
  type CrossStoreDuplicate,
  type DayLakeQuality,
  QUALITY_EXAMPLES,
  type QualityReason,
  type TransactionFinding,
  type UploadQuality,
  type UploadQualityRecord,
} from './quality.schema';
import type { ReasonCount } from './store-file';

/**
 * What a store file's transaction ids start with before the store id: `TXN-0001-…` for store 0001 (shared/DESIGN.md,
 * the store file). `data_integrity`'s default `transaction_prefix` is this same constant, so that the upload's check
 * and the lake's agree.
 */
export const TRANSACTION_PREFIX = 'TXN-';

/**
 * True when `transactionId` starts with `<prefix><storeId>-`, as every id of store `storeId`'s file should: the
 * definition of `data_integrity`'s `store_prefix_mismatch` (packages/analytics/src/operations.ts), in TypeScript.
 */
export function hasStorePrefix(transactionId: string, storeId: string, prefix: string = TRANSACTION_PREFIX): boolean {
  return transactionId.startsWith(`${prefix}${storeId}-`);
}

/** A finding's count, and the first QUALITY_EXAMPLES ids by name. */
class Finding {
  transactions = 0;
  lines = 0;
  readonly examples: string[] = [];

  add(transactionId: string): void {
    this.transactions++;
    if (this.examples.length < QUALITY_EXAMPLES) this.examples.push(transactionId);
  }

  withLines(): TransactionFinding {
    return { transactions: this.transactions, lines: this.lines, examples: [...this.examples] };
  }

  withoutLines(): TransactionFinding {
    return { transactions: this.transactions, examples: [...this.examples] };
  }
}

/** The first sale seen under a transaction id: its instant and payment method, and whether another sale reused it. */
interface SaleOfId {
  instant: number;
  method: string;
  duplicate: boolean;
  /** The id does not start with the file's store prefix. */
  mismatch: boolean;
}

/** The row fields the upload's checks read. */
export type QualityRow = Pick<CanonicalRow, 'transaction_id' | 'timestamp_ms' | 'payment_method'>;

/**
 * The transaction checks of one upload, fed the accepted rows of the conversion's single pass (so they cost no read):
 * - a duplicate transaction id: its lines carry more than one instant or payment method, that is two sales under
 *   one id (`data_integrity`'s `duplicate_within_partition`; the lines of one sale share its instant);
 * - a prefix mismatch: the id does not start with `TXN-<the file's store>-` (hasStorePrefix).
 *
 * Memory: one entry per transaction of the file (its first line's instant and method), as the payment-method check
 * of StoreFileReader already holds; about 60 MB for the 1M transactions of a 1 GB export.
 */
export class UploadQualityAccumulator {
  private readonly seen = new Map<string, SaleOfId>();
  private readonly duplicates = new Finding();
  private readonly mismatches = new Finding();
  private lastId: string | undefined;
  private lastSale: SaleOfId | undefined;

  constructor(
    private readonly storeId: string,
    private readonly prefix: string = TRANSACTION_PREFIX,
  ) {}

  /** Adds one accepted row of the file, in file order. */
  add(row: QualityRow): void {
    const id = row.transaction_id;
    // Most lines repeat the transaction of the line before: comparing with it spares most map lookups.
    let sale = id === this.lastId ? this.lastSale : this.seen.get(id);
    if (!sale) {
      const mismatch = !hasStorePrefix(id, this.storeId, this.prefix);
      sale = { instant: row.timestamp_ms, method: row.payment_method, duplicate: false, mismatch };
      this.seen.set(id, sale);
      if (mismatch) this.mismatches.add(id);
    } else if (!sale.duplicate && (sale.instant !== row.timestamp_ms || sale.method !== row.payment_method)) {
      sale.duplicate = true;
      this.duplicates.add(id);
    }
    if (sale.mismatch) this.mismatches.lines++;
    this.lastId = id;
    this.lastSale = sale;
  }

  /** The findings so far: duplicates without a line count (see TransactionFinding), mismatches with one. */
  findings(): Pick<UploadQuality, 'duplicate_transactions' | 'prefix_mismatches'> {
    return { duplicate_transactions: this.duplicates.withoutLines(), prefix_mismatches: this.mismatches.withLines() };
  }
}

/** The findings of rows held in memory (a mapped export, a test): UploadQualityAccumulator over them in order. */
export function uploadFindings(
  storeId: string,
  rows: Iterable<QualityRow>,
): Pick<UploadQuality, 'duplicate_transactions' | 'prefix_mismatches'> {
  const acc = new UploadQualityAccumulator(storeId);
  for (const row of rows) acc.add(row);
  return acc.findings();
}

/** No transaction finding: a file rejected whole has no accepted row to check. */
export const NO_FINDINGS: Pick<UploadQuality, 'duplicate_transactions' | 'prefix_mismatches'> = {
  duplicate_transactions: { transactions: 0, examples: [] },
  prefix_mismatches: { transactions: 0, lines: 0, examples: [] },
};

/** An upload's quality from its counts, its rejection log's counts by rule and its transaction findings. */
export function uploadQuality(
  counts: { lines: number; accepted: number; rejected: number; reason?: string | undefined },
  reasons: readonly Pick<ReasonCount, 'field' | 'rule' | 'lines'>[],
  findings: Pick<UploadQuality, 'duplicate_transactions' | 'prefix_mismatches'> = NO_FINDINGS,
): UploadQuality {
  return {
    lines: counts.lines,
    accepted: counts.accepted,
    rejected: counts.rejected,
    reasons: reasons.slice(0, 200).map((r) => ({ field: r.field, rule: r.rule, lines: r.lines })),
    ...findings,
    ...(counts.reason === undefined ? {} : { reason: counts.reason }),
  };
}

/**
 * Transaction ids found in more than one store's file of a day (`data_integrity`'s `duplicate_across_partitions`
 * over one date), fed one store at a time. Memory: one entry per transaction id of the day.
 */
export class CrossStoreAccumulator {
  private readonly ids = new Map<string, { stores: string[]; lines: number }>();
  private storesRead = 0;

  /** Adds a store's transaction ids of the day, one per line (a store is added once). */
  addStore(storeId: string, transactionIds: Iterable<string>): void {
    this.storesRead++;
    for (const id of transactionIds) {
      const entry = this.ids.get(id);
      if (!entry) {
        this.ids.set(id, { stores: [storeId], lines: 1 });
        continue;
      }
      entry.lines++;
      if (entry.stores[entry.stores.length - 1] !== storeId) entry.stores.push(storeId);
    }
  }

  /** The day's finding: every id in two stores or more counted, the first QUALITY_EXAMPLES (in id order) named. */
  finish(date: string, revision: number, computedAt: string): DayLakeQuality {
    const found: CrossStoreDuplicate[] = [];
    let lines = 0;
    for (const [id, entry] of this.ids) {
      if (entry.stores.length < 2) continue;
      lines += entry.lines;
      found.push({ transaction_id: id, stores: [...entry.stores].sort(), lines: entry.lines });
    }
    found.sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : a.transaction_id > b.transaction_id ? 1 : 0));
    return {
      date,
      revision,
      computed_at: computedAt,
      stores_read: this.storesRead,
      cross_store_duplicates: { transactions: found.length, lines, examples: found.slice(0, QUALITY_EXAMPLES) },
    };
  }
}

/** What the day's quality is assembled from: everything stored, nothing recomputed from the lake. */
export interface DayQualityInput {
  date: string;
  /** Every upload of the day (write-metrics' records), any order. */
  uploads: readonly UploadQualityRecord[];
  /** The day's status: the stores check-all-stores recorded and the analysis claim. */
  status: { reported_stores: readonly string[]; analysis_claimed_at?: string; analysis_revision?: number } | undefined;
  /** `EXPECTED_STORES`. */
  expectedStores: readonly string[];
  /** What the daily analysis found across the stores' files, when it has run. */
  lake: DayLakeQuality | undefined;
}

/**
 * A store's current upload: the latest whose figures were stored (`processed`), or, when none was, its latest
 * upload (rejected whole). Stale deliveries never are: their figures lost to a newer version.
 */
function currentUploads(uploads: readonly UploadQualityRecord[]): UploadQualityRecord[] {
  const byStore = new Map<string, UploadQualityRecord>();
  const rank = (u: UploadQualityRecord) => (u.status === 'processed' ? 2 : u.status === 'rejected' ? 1 : 0);
  for (const u of uploads) {
    if (u.status === 'stale') continue;
    const held = byStore.get(u.store_id);
    if (!held || rank(u) > rank(held) || (rank(u) === rank(held) && u.uploaded_at > held.uploaded_at)) {
      byStore.set(u.store_id, u);
    }
  }
  return [...byStore.values()];
}

/** Reason counts summed over uploads, most frequent first (then by field and rule, for a stable order). */
function sumReasons(uploads: readonly UploadQualityRecord[]): QualityReason[] {
  const sums = new Map<string, QualityReason>();
  for (const u of uploads) {
    for (const r of u.reasons) {
      const key = `${r.field}\u0000${r.rule}`;
      const held = sums.get(key);
      if (held) held.lines += r.lines;
      else sums.set(key, { ...r });
    }
  }
  return [...sums.values()].sort(
    (a, b) => b.lines - a.lines || a.field.localeCompare(b.field) || a.rule.localeCompare(b.rule),
  );
}

/**
 * The day's data quality (`GET /quality`, the daily report, the dashboard), from what is stored:
 * - totals over each store's current upload, so a correction does not count its store twice; `corrections` are the
 *   uploads that replaced an earlier version's figures, `files_rejected` the uploads rejected whole;
 * - stores: expected, reported (check-all-stores' set), missing (expected, not reported), late (the first upload came
 *   after the day's analysis was claimed: the analysis, or the cut-off, had run without it), unexpected;
 * - the lake's cross-store duplicates, when the daily analysis has run.
 */
export function dayQuality(input: DayQualityInput): QualityResponse {
  const uploads = [...input.uploads].sort(
    (a, b) => a.store_id.localeCompare(b.store_id) || a.uploaded_at.localeCompare(b.uploaded_at),
  );
  const current = currentUploads(uploads);
  const sum = (pick: (u: UploadQualityRecord) => number) => current.reduce((n, u) => n + pick(u), 0);
  const expected = [...new Set(input.expectedStores)].sort();
  const reported = [...new Set(input.status?.reported_stores ?? [])].sort();
  const reportedSet = new Set(reported);
  const expectedSet = new Set(expected);
  const claimedAt = input.status?.analysis_claimed_at;
  const late: LateStore[] = [];
  if (claimedAt !== undefined) {
    const firstUpload = new Map<string, string>();
    for (const u of uploads) {
      if (u.status !== 'processed') continue;
      const held = firstUpload.get(u.store_id);
      if (held === undefined || u.uploaded_at < held) firstUpload.set(u.store_id, u.uploaded_at);
    }
    for (const [store, at] of firstUpload) if (at > claimedAt) late.push({ store_id: store, first_upload_at: at });
    late.sort((a, b) => a.store_id.localeCompare(b.store_id));
  }
  return {
    date: input.date,
    totals: {
      uploads: uploads.length,
      files_rejected: uploads.filter((u) => u.status === 'rejected').length,
      corrections: uploads.filter((u) => u.replaced !== undefined).length,
      stale: uploads.filter((u) => u.status === 'stale').length,
      lines: sum((u) => u.lines),
      accepted: sum((u) => u.accepted),
      rejected: sum((u) => u.rejected),
      reasons: sumReasons(current),
      duplicate_transactions: sum((u) => u.duplicate_transactions.transactions),
      prefix_mismatches: {
        transactions: sum((u) => u.prefix_mismatches.transactions),
        lines: sum((u) => u.prefix_mismatches.lines ?? 0),
      },
    },
    stores: {
      expected,
      reported,
      missing: expected.filter((s) => !reportedSet.has(s)),
      late,
      unexpected: reported.filter((s) => !expectedSet.has(s)),
    },
    analysis:
      claimedAt === undefined ? null : { claimed_at: claimedAt, revision: input.status?.analysis_revision ?? 1 },
    lake: input.lake ?? null,
    uploads,
  };
}
