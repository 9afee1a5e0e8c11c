/**
 * The differential check of StoreLineParser: a store file read by StoreFileReader with the fast path and without
 * it (every line through the scanner, JSON.parse and checkLineItem), as process-upload reads it (a second pass when
 * a transaction mixes payment methods, the figures and the capped rejection log in the same pass). Used by
 * `store-line-parser.test.ts` and by process-upload's hostile-corpus differential test.
 */
import type { CanonicalRow } from '../src/canonical-row.schema';
import type { StoreDay } from '../src/keys';
import { StoreDayAccumulator } from '../src/metrics';
import { type RejectedLine, RejectionLog, StoreFileReader } from '../src/store-file';
import type { StoreDayFigures } from '../src/store-summary.schema';

/** Everything a read of a file gives: what is compared between the two paths (`fastLines` apart). */
export interface ReadOutcome {
  /** The message of the error that rejected the file whole, if it was. */
  error?: string;
  rows: CanonicalRow[];
  firstOfTransaction: boolean[];
  /** The first KEEP rejected lines; the others are in `rejectedDigest`. */
  rejected: RejectedLine[];
  /** A hash of the JSON of every rejected line past the first KEEP (so a million rejected lines stay comparable). */
  rejectedDigest: number;
  lines: number;
  figures?: StoreDayFigures;
  reasons?: ReturnType<RejectionLog['reasons']>;
  passes: number;
  /** Lines read by the fast path, in the last pass. */
  fastLines: number;
}

const KEEP = 2_000;

function fnv(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Reads `bytes` (pushed in pieces at `cuts`, byte offsets) with or without the fast path. */
export function readStoreFile(
  bytes: Uint8Array,
  storeDay: StoreDay,
  fastPath: boolean,
  cuts: readonly number[] = [],
): ReadOutcome {
  const pass = (excluded: ReadonlySet<string>, passes: number): ReadOutcome => {
    const rows: CanonicalRow[] = [];
    const firstOfTransaction: boolean[] = [];
    const rejected: RejectedLine[] = [];
    let rejectedDigest = 0x811c9dc5;
    const log = new RejectionLog(5);
    const figures = new StoreDayAccumulator();
    const reader = new StoreFileReader(
      storeDay,
      {
        row(row, first) {
          rows.push(row);
          firstOfTransaction.push(first);
          figures.add(row, first);
        },
        reject(line) {
          if (rejected.length < KEEP) rejected.push(line);
          else rejectedDigest = fnv(rejectedDigest, JSON.stringify(line));
          log.add(line);
        },
      },
      excluded,
      { fastPath },
    );
    try {
      let at = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        if (cut <= at || cut >= bytes.length) continue;
        reader.push(bytes.subarray(at, cut));
        at = cut;
      }
      reader.push(bytes.subarray(at));
      const end = reader.end();
      if (end.mixed.size > 0 && passes === 1) return pass(end.mixed, 2);
      return {
        rows,
        firstOfTransaction,
        rejected,
        rejectedDigest,
        lines: end.lines,
        figures: figures.figures(storeDay.storeId, storeDay.date),
        reasons: log.reasons(),
        passes,
        fastLines: end.fastLines,
      };
    } catch (error) {
      return {
        error: `${(error as Error).name}: ${(error as Error).message}`,
        rows: [],
        firstOfTransaction: [],
        rejected: [],
        rejectedDigest: 0,
        lines: 0,
        passes,
        fastLines: 0,
      };
    }
  };
  return pass(new Set(), 1);
}

/** The outcome without the fast path's own count, for comparing the two paths. */
export function comparable(outcome: ReadOutcome): Omit<ReadOutcome, 'fastLines'> {
  const { fastLines: _fast, ...rest } = outcome;
  return rest;
}
