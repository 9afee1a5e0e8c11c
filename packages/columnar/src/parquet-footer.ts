import { field, readStruct, type ThriftList, type ThriftStruct, type ThriftValue, writeStruct } from './thrift-compact';

/**
 * Field ids of parquet.thrift (apache/parquet-format) used here. Only optional fields are ever removed, so the
 * result is a standard file that any reader takes.
 */
const FileMetaData = { ROW_GROUPS: 4, KEY_VALUE_METADATA: 5 } as const;
const KeyValue = { KEY: 1 } as const;
const RowGroup = { COLUMNS: 1 } as const;
const ColumnChunk = {
  META_DATA: 3,
  OFFSET_INDEX_OFFSET: 4,
  OFFSET_INDEX_LENGTH: 5,
  COLUMN_INDEX_OFFSET: 6,
  COLUMN_INDEX_LENGTH: 7,
} as const;
const ColumnMetaData = {
  TOTAL_COMPRESSED_SIZE: 7,
  DATA_PAGE_OFFSET: 9,
  DICTIONARY_PAGE_OFFSET: 11,
  STATISTICS: 12,
  ENCODING_STATS: 13,
  BLOOM_FILTER_OFFSET: 14,
  BLOOM_FILTER_LENGTH: 15,
  SIZE_STATISTICS: 16,
} as const;
const Statistics = { MAX: 1, MIN: 2, MAX_VALUE: 5, MIN_VALUE: 6 } as const;

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // PAR1

/** The key under which Arrow writers store their schema (base64 IPC) in a Parquet footer. */
export const ARROW_SCHEMA_KEY = 'ARROW:schema';

/**
 * A Parquet file with a leaner footer: what a lake of small files pays for in every file and no reader of ours
 * uses. Removes the Arrow schema copy (ARROW:schema: the Parquet schema already says everything our columns
 * need), the page index (one page per column chunk in a store-day file: it repeats the chunk), the page encoding
 * stats and size statistics, and the deprecated min/max of a column whose statistics also carry min_value/max_value.
 * Keeps every value, the schema, the statistics engines prune with (min_value, max_value, null_count), and the
 * column orders that say how to compare them. Data pages are not touched.
 *
 * On a store-day file this is about a quarter of the bytes. Throws RangeError when `file` is not Parquet.
 */
export function trimParquetFooter(file: Uint8Array): Uint8Array {
  const footerLength = readFooterLength(file);
  const footerStart = file.length - 8 - footerLength;
  const { struct: meta, end } = readStruct(file, footerStart);
  if (end !== file.length - 8) throw new RangeError('the Parquet footer does not end where its length says');

  let dataEnd = 4; // past the leading magic
  meta.fields = meta.fields.filter((f) => f.id !== FileMetaData.KEY_VALUE_METADATA || keepKeyValues(f.value));
  for (const rowGroup of structs(field(meta, FileMetaData.ROW_GROUPS)?.value)) {
    for (const chunk of structs(field(rowGroup, RowGroup.COLUMNS)?.value)) {
      chunk.fields = chunk.fields.filter(
        (f) => f.id < ColumnChunk.OFFSET_INDEX_OFFSET || f.id > ColumnChunk.COLUMN_INDEX_LENGTH,
      );
      const columnMeta = field(chunk, ColumnChunk.META_DATA)?.value as ThriftStruct | undefined;
      if (!columnMeta)
        throw new RangeError('a column chunk without metadata (external column files are not supported)');
      dataEnd = Math.max(dataEnd, ...referencedEnds(columnMeta));
      columnMeta.fields = columnMeta.fields.filter(
        (f) => f.id !== ColumnMetaData.ENCODING_STATS && f.id !== ColumnMetaData.SIZE_STATISTICS,
      );
      const statistics = field(columnMeta, ColumnMetaData.STATISTICS)?.value as ThriftStruct | undefined;
      if (statistics && field(statistics, Statistics.MAX_VALUE) && field(statistics, Statistics.MIN_VALUE)) {
        statistics.fields = statistics.fields.filter((f) => f.id !== Statistics.MAX && f.id !== Statistics.MIN);
      }
    }
  }
  if (dataEnd === Number.POSITIVE_INFINITY) dataEnd = footerStart;
  if (dataEnd > footerStart) throw new RangeError('a column chunk reaches into the Parquet footer');

  // Everything between the last referenced byte and the footer was page index, now referenced by nobody.
  const footer = writeStruct(meta);
  const out = new Uint8Array(dataEnd + footer.length + 8);
  out.set(file.subarray(0, dataEnd));
  out.set(footer, dataEnd);
  new DataView(out.buffer).setUint32(dataEnd + footer.length, footer.length, true);
  out.set(MAGIC, out.length - 4);
  return out;
}

function readFooterLength(file: Uint8Array): number {
  const isMagic = (at: number) => MAGIC.every((b, i) => file[at + i] === b);
  if (file.length < 12 || !isMagic(0) || !isMagic(file.length - 4)) throw new RangeError('not a Parquet file');
  const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(file.length - 8, true);
  if (length + 12 > file.length) throw new RangeError('the Parquet footer length exceeds the file');
  return length;
}

/** Keeps the key-value list without the Arrow schema; drops the field when nothing else is in it. */
function keepKeyValues(value: ThriftValue): boolean {
  const list = value as ThriftList;
  const decoder = new TextDecoder();
  list.items = list.items.filter((item) => {
    const key = field(item as ThriftStruct, KeyValue.KEY)?.value;
    return !(key instanceof Uint8Array && decoder.decode(key) === ARROW_SCHEMA_KEY);
  });
  return list.items.length > 0;
}

/** Where the bytes a column chunk's metadata points at end: its pages, and its bloom filter if any. */
function referencedEnds(columnMeta: ThriftStruct): number[] {
  const num = (id: number) => {
    const value = field(columnMeta, id)?.value;
    return typeof value === 'bigint' || typeof value === 'number' ? Number(value) : undefined;
  };
  const dictionary = num(ColumnMetaData.DICTIONARY_PAGE_OFFSET);
  const data = num(ColumnMetaData.DATA_PAGE_OFFSET);
  const size = num(ColumnMetaData.TOTAL_COMPRESSED_SIZE);
  if (data === undefined || size === undefined) throw new RangeError('a column chunk without page offsets');
  const start = dictionary !== undefined && dictionary > 0 ? Math.min(dictionary, data) : data;
  const ends = [start + size];
  const bloom = num(ColumnMetaData.BLOOM_FILTER_OFFSET);
  // Without its length a bloom filter's end is unknown: then nothing before the footer may be cut.
  if (bloom !== undefined) ends.push(bloom + (num(ColumnMetaData.BLOOM_FILTER_LENGTH) ?? Number.POSITIVE_INFINITY));
  return ends;
}

function structs(value: ThriftValue | undefined): ThriftStruct[] {
  if (value === undefined) return [];
  return (value as ThriftList).items as ThriftStruct[];
}
