import {
  RejectedFileError,
  RejectionLog,
  type StoreDay,
  StoreDayAccumulator,
  type StoreDayFigures,
  StoreFileReader,
  type UploadQuality,
  UploadQualityAccumulator,
} from '@tillflow/core';
import { CanonicalParquetWriter } from './parquet-encoder';

/** How convertStoreFile reads and writes. */
export interface ConversionOptions {
  /** A file that turns out longer than this while it is read is rejected whole (the event's size is checked first). */
  maxBytes: number;
  /** Rows per Parquet row group (default DEFAULT_ROW_GROUP_ROWS). */
  rowGroupRows?: number;
  /** Rejected lines the log keeps in full (default STORE_FILE_LIMITS.reportLines). */
  reportLines?: number;
}

/** A converted store file: the Parquet of its accepted rows (none when no line was valid), figures and rejections. */
export interface ConvertedStoreFile {
  status: 'converted';
  parquet: Uint8Array | undefined;
  figures: StoreDayFigures;
  lines: number;
  accepted: number;
  log: RejectionLog;
  /** Duplicate transaction ids and store-prefix mismatches among the accepted rows (UploadQualityAccumulator). */
  findings: Pick<UploadQuality, 'duplicate_transactions' | 'prefix_mismatches'>;
  /** Passes over the source: 2 when a transaction mixing payment methods was found (see StoreFileEnd.mixed). */
  passes: number;
}

/** A store file rejected whole, and why. */
export interface RejectedStoreFile {
  status: 'rejected';
  reason: string;
}

/**
 * Converts a store daily file, streamed, in one pass over its bytes: split into lines, parsed, validated, written
 * to Parquet in row groups, and the store-day figures accumulated, all as the chunks arrive. Each accepted row goes
 * straight into the Parquet encoder (CanonicalParquetWriter) as it is validated. What is held at once: one chunk, the
 * encoder's current row group, the Parquet written so far (some 25× smaller than the JSON), the transaction ids (for
 * the one-payment-method rule and the transaction count) and the capped rejection log; never the file's text or all
 * its records.
 *
 * Nothing is written anywhere: the caller stores the result only once the whole file has been read, so a file is
 * either converted with its bad lines rejected or rejected whole, never half-written. `open` is called again for a
 * second pass when a transaction turns out to mix payment methods after some of its lines were already written.
 */
export async function convertStoreFile(
  open: () => AsyncIterable<Uint8Array>,
  storeDay: StoreDay,
  options: ConversionOptions,
): Promise<ConvertedStoreFile | RejectedStoreFile> {
  try {
    const first = await convertPass(open, storeDay, options, new Set());
    if (first.result) return first.result;
    const second = await convertPass(open, storeDay, options, first.mixed);
    if (!second.result) throw new Error('the second pass found transactions the first did not: the source changed');
    return { ...second.result, passes: 2 };
  } catch (error) {
    if (error instanceof RejectedFileError) return { status: 'rejected', reason: error.message };
    throw error;
  }
}

async function convertPass(
  open: () => AsyncIterable<Uint8Array>,
  storeDay: StoreDay,
  options: ConversionOptions,
  excluded: ReadonlySet<string>,
): Promise<{ result: ConvertedStoreFile; mixed?: undefined } | { result?: undefined; mixed: ReadonlySet<string> }> {
  const log = new RejectionLog(options.reportLines);
  const figures = new StoreDayAccumulator();
  const quality = new UploadQualityAccumulator(storeDay.storeId);
  const writer = new CanonicalParquetWriter({ rowGroupRows: options.rowGroupRows });
  const reader = new StoreFileReader(
    storeDay,
    {
      row(row, firstOfTransaction) {
        figures.add(row, firstOfTransaction);
        quality.add(row);
        writer.add(row);
      },
      reject: (line) => log.add(line),
    },
    excluded,
  );
  let bytes = 0;
  let end: ReturnType<StoreFileReader['end']>;
  try {
    for await (const chunk of open()) {
      bytes += chunk.byteLength;
      if (bytes > options.maxBytes) {
        throw new RejectedFileError(`the file is over the limit of ${options.maxBytes} bytes`);
      }
      reader.push(chunk);
    }
    end = reader.end();
  } catch (error) {
    writer.discard();
    throw error;
  }
  if (end.mixed.size > 0) {
    // The rows written so far are dropped: the second pass writes the file again without those transactions.
    writer.discard();
    return { mixed: end.mixed };
  }
  const accepted = writer.rows;
  let parquet: Uint8Array | undefined;
  if (accepted > 0) parquet = writer.finish();
  else writer.discard();
  return {
    result: {
      status: 'converted',
      parquet,
      figures: figures.figures(storeDay.storeId, storeDay.date),
      lines: end.lines,
      accepted,
      log,
      findings: quality.findings(),
      passes: 1,
    },
  };
}
