import {
  type CanonicalRow,
  RejectedFileError,
  RejectionLog,
  type StoreDay,
  StoreDayAccumulator,
  type StoreDayFigures,
  StoreFileReader,
  type UploadQuality,
  UploadQualityAccumulator,
} from '@tillflow/core';
import type { Table } from 'apache-arrow';
import { tableToIPC } from 'apache-arrow';
import { rowsToArrowTable } from './arrow-table';
import { trimParquetFooter } from './parquet-footer';
import { arrowToParquet, DEFAULT_ROW_GROUP_ROWS, writerProperties } from './parquet-io';
import { parquetWasm } from './parquet-wasm';

/** How convertStoreFile reads and writes. */
export interface ConversionOptions {
  /** A file that turns out longer than this while it is read is rejected whole (the event's size is checked first). */
  maxBytes: number;
  /** Rows per Arrow batch handed to the Parquet writer: the rows held as objects at once (default 32,768). */
  batchRows?: number;
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

const DEFAULT_BATCH_ROWS = 32_768;

/**
 * Converts a store daily file, streamed, in one pass over its bytes: split into lines, parsed, validated, written
 * to Parquet in row groups, and the store-day figures accumulated, all as the chunks arrive. What is held at once:
 * one chunk, one batch of rows, the writer's current row group, the Parquet written so far (some 25× smaller than the
 * JSON), the transaction ids (for the one-payment-method rule and the transaction count) and the capped rejection log;
 * never the file's text, all its records or all its Arrow data.
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
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const log = new RejectionLog(options.reportLines);
  const figures = new StoreDayAccumulator();
  const quality = new UploadQualityAccumulator(storeDay.storeId);
  const writer = new ParquetRowGroupWriter(options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS);
  let batch: CanonicalRow[] = [];
  const full: CanonicalRow[][] = [];
  let accepted = 0;
  const reader = new StoreFileReader(
    storeDay,
    {
      row(row, firstOfTransaction) {
        figures.add(row, firstOfTransaction);
        quality.add(row);
        batch.push(row);
        accepted++;
        if (batch.length === batchRows) {
          full.push(batch);
          batch = [];
        }
      },
      reject: (line) => log.add(line),
    },
    excluded,
  );
  let bytes = 0;
  try {
    for await (const chunk of open()) {
      bytes += chunk.byteLength;
      if (bytes > options.maxBytes) {
        throw new RejectedFileError(`the file is over the limit of ${options.maxBytes} bytes`);
      }
      reader.push(chunk);
      while (full.length > 0) await writer.write(rowsToArrowTable(full.shift() as CanonicalRow[], batchRows));
    }
    const end = reader.end();
    if (batch.length > 0) await writer.write(rowsToArrowTable(batch, batchRows));
    batch = [];
    if (end.mixed.size > 0) {
      await writer.abort();
      return { mixed: end.mixed };
    }
    let parquet: Uint8Array | undefined;
    if (accepted > 0) parquet = await writer.finish();
    else await writer.abort();
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
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** A one-slot channel: `push` resolves when the consumer has taken the item (back-pressure for the writer). */
class Channel<T> implements AsyncIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private taken: (() => void) | undefined;
  private closed = false;

  push(item: T): Promise<void> {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
      return Promise.resolve();
    }
    this.items.push(item);
    return new Promise((resolve) => {
      this.taken = resolve;
    });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      const taken = this.taken;
      this.taken = undefined;
      taken?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }
}

/**
 * Writes Arrow batches as one Parquet file. A file of one batch (every store-day file of a real store) goes through
 * parquet-wasm's synchronous writeParquet; from the second batch on, through its streaming writer
 * (transformParquetStream), which keeps one row group's pages in WebAssembly memory at a time, so the writer's memory
 * does not grow with the file.
 */
class ParquetRowGroupWriter {
  private pending: Table | undefined;
  private channel: Channel<unknown> | undefined;
  private collected: Promise<Uint8Array[]> | undefined;
  private stopped: Promise<never> | undefined;

  constructor(private readonly rowGroupRows: number) {}

  async write(table: Table): Promise<void> {
    if (!this.channel && !this.pending) {
      this.pending = table;
      return;
    }
    if (!this.channel) {
      const wasm = parquetWasm();
      const channel = new Channel<unknown>();
      this.channel = channel;
      // ReadableStream.from is in Node 20.6+ (the types of @types/node 20 lack it).
      const streams = ReadableStream as unknown as { from(it: AsyncIterable<unknown>): ReadableStream };
      const input = streams.from({ [Symbol.asyncIterator]: () => channel });
      // transformParquetStream reads the first batch (for the schema) before it answers.
      const output = wasm.transformParquetStream(input, writerProperties(this.rowGroupRows));
      const first = channel.push(toWasmBatch(this.pending as Table));
      this.pending = undefined;
      this.collected = output.then(collect);
      // Observed here so that a writer failing before finish() is awaited is never an unhandled rejection.
      this.stopped = this.collected.then(
        () => Promise.reject(new Error('the Parquet writer stopped before its input ended')),
        (error: unknown) => Promise.reject(error),
      );
      this.stopped.catch(() => undefined);
      await Promise.race([first, this.stopped]);
    }
    // A writer that failed takes no more batches: its error is raised instead of waiting forever.
    await Promise.race([this.channel.push(toWasmBatch(table)), this.stopped as Promise<never>]);
  }

  async finish(): Promise<Uint8Array> {
    if (!this.channel) {
      if (!this.pending) throw new Error('no rows were written');
      const file = arrowToParquet(this.pending, this.rowGroupRows);
      this.pending = undefined;
      return file;
    }
    this.channel.close();
    return trimParquetFooter(concat(await (this.collected as Promise<Uint8Array[]>)));
  }

  async abort(): Promise<void> {
    this.pending = undefined;
    if (!this.channel) return;
    this.channel.close();
    await this.collected?.catch(() => undefined);
  }
}

function toWasmBatch(table: Table): unknown {
  const wasm = parquetWasm().Table.fromIPCStream(tableToIPC(table, 'stream'));
  try {
    return wasm.recordBatch(0);
  } finally {
    wasm.free();
  }
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
