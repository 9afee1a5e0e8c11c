import { Readable, Transform } from 'node:stream';
import { RejectedFileError } from '@tillflow/core';
import { CsvError, parse } from 'csv-parse';

/** The longest record (in characters) a CSV upload may have; a longer one is a broken quote or a hostile file. */
export const MAX_CSV_RECORD_CHARS = 1024 * 1024;

/** One data record of a CSV upload: its fields as written, and its position (1 = the first record after the header). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A CSV file opened for reading: its header (the first record) and the data records after it, as they arrive. */
export interface CsvFile {
  header: string[];
  records: AsyncIterable<CsvRecord>;
}

/** UTF-8 text or nothing: an invalid byte fails the stream (TextDecoder, fatal), rather than becoming U+FFFD. */
function utf8Strict(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new RejectedFileError('the file is not UTF-8 text'));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new RejectedFileError('the file is not UTF-8 text (it ends inside a character)'));
      }
    },
  });
}

/**
 * Reads a CSV upload as a stream with csv-parse, the kept library for this (RFC 4180 quoting: fields with
 * delimiters, quotes and newlines inside quotes; a UTF-8 BOM; CRLF or LF; blank lines skipped). Records may have
 * another number of fields than the header: that is a reason for the record, not for the file, so the parser lets
 * them through. Throws RejectedFileError for what makes the file as a whole unreadable: not UTF-8, a quote never
 * closed, a record over MAX_CSV_RECORD_CHARS, no header. Memory stays at a chunk and a record, whatever the size.
 */
export async function openCsv(chunks: AsyncIterable<Uint8Array>, delimiter = ','): Promise<CsvFile> {
  const body = Readable.from(chunks, { objectMode: false });
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_CSV_RECORD_CHARS,
  });
  const decoded = body.pipe(utf8Strict());
  body.on('error', (error) => decoded.destroy(error));
  decoded.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await next(iterator);
  if (first.done) throw new RejectedFileError('the file is empty: it has no header row');
  let line = 0;
  const records: AsyncIterable<CsvRecord> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const step = await next(iterator);
        if (step.done) return;
        line++;
        yield { fields: step.value, line };
      }
    },
  };
  return { header: first.value, records };
}

/** One step of the parser, with its errors turned into the reason the file is rejected. */
async function next(iterator: AsyncIterator<string[]>): Promise<IteratorResult<string[]>> {
  try {
    return await iterator.next();
  } catch (error) {
    if (error instanceof RejectedFileError) throw error;
    if (error instanceof CsvError) throw new RejectedFileError(`the file is not readable CSV: ${error.message}`);
    throw error;
  }
}
