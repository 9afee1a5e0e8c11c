import * as zlib from 'node:zlib';

/**
 * The byte-level pieces of the canonical Parquet encoder (parquet-encoder.ts): a growable buffer, UTF-8 text with
 * its length prefix (PLAIN BYTE_ARRAY), the RLE/bit-packed hybrid of dictionary indices, byte-wise comparison for
 * statistics, and ZSTD through Node's zlib.
 */

/** A growable byte buffer; `buf` may be replaced when it grows, so callers index it only after `ensure`. */
export class ByteSink {
  buf: Buffer;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    if (this.length + extra > this.buf.length) this.grow(extra);
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Appends `bytes`. */
  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends a 32-bit little-endian unsigned integer. */
  uint32(value: number): void {
    this.ensure(4);
    const { buf } = this;
    const at = this.length;
    buf[at] = value;
    buf[at + 1] = value >>> 8;
    buf[at + 2] = value >>> 16;
    buf[at + 3] = value >>> 24;
    this.length = at + 4;
  }

  /** Appends an unsigned LEB128 varint (a non-negative integer below 2^53). */
  varint(value: number): void {
    this.ensure(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.length++] = rest;
  }
}

/**
 * Appends `value` as PLAIN BYTE_ARRAY (4-byte little-endian length, then its UTF-8) and returns whether it was
 * ASCII. The caller has checked that the text is well-formed (a lone surrogate would become U+FFFD).
 *
 * ASCII, nearly every value of a store file, is copied code unit by code unit: for the short values of a canonical
 * row that is cheaper than the call into the native encoder, which takes the rest.
 */
export function appendText(sink: ByteSink, value: string): boolean {
  const units = value.length;
  // A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair, 2 units, takes 4).
  sink.ensure(4 + 3 * units);
  const buf = sink.buf;
  const start = sink.length + 4;
  let c = 0;
  for (; c < units; c++) {
    const code = value.charCodeAt(c);
    if (code > 0x7f) break;
    buf[start + c] = code;
  }
  const bytes = c === units ? units : buf.write(value, start, buf.length - start, 'utf8');
  const at = sink.length;
  buf[at] = bytes;
  buf[at + 1] = bytes >>> 8;
  buf[at + 2] = bytes >>> 16;
  buf[at + 3] = bytes >>> 24;
  sink.length = start + bytes;
  return c === units;
}

/** Compares `a[aStart, +aLength)` with `b[bStart, +bLength)` as unsigned bytes (Parquet's order for text). */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aLength: number,
  b: Uint8Array,
  bStart: number,
  bLength: number,
): number {
  const n = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < n; i++) {
    const d = (a[aStart + i] as number) - (b[bStart + i] as number);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** The fewest bits that hold every value in 0..maxValue (0 for a dictionary of one value). */
export function bitWidth(maxValue: number): number {
  return maxValue <= 0 ? 0 : 32 - Math.clz32(maxValue);
}

/** A bit-packed run holds at most this many groups of 8 values, so that its header fits in one byte. */
const MAX_GROUPS_PER_BIT_PACKED_RUN = 63;

/**
 * Appends `values[0, count)` (each below 2^width) in Parquet's RLE/bit-packed hybrid, without a length prefix (as a
 * data page's dictionary indices carry it, after their 1-byte bit width).
 *
 * The runs are chosen as parquet-wasm's writer (arrow-rs's RleEncoder) chooses them, so the pages are the same
 * bytes: values are taken in groups of 8; a group of 8 equal values that continues as a run becomes an RLE run (of
 * however many follow), any other group is bit-packed, consecutive bit-packed groups sharing a one-byte header (at
 * most 63 groups); the last group is padded with zeros, which a reader ignores past the page's value count. This
 * also compresses better than cutting runs anywhere: the sample month's index pages came out 3% smaller after ZSTD.
 */
export function appendHybrid(sink: ByteSink, values: Int32Array, count: number, width: number): void {
  const valueBytes = (width + 7) >>> 3;
  /** Where the open bit-packed run's header byte is (-1: none), and how many groups it holds. */
  let header = -1;
  let groups = 0;
  const closeRun = () => {
    if (header >= 0) sink.buf[header] = groups * 2 + 1;
    header = -1;
    groups = 0;
  };
  let i = 0;
  // A group begins at i: right after another group, after an RLE run, or at the start.
  while (i + 8 <= count) {
    const value = values[i] as number;
    let same = 1;
    while (same < 8 && values[i + same] === value) same++;
    if (same === 8) {
      // Eight equal values start an RLE run, as long as the value lasts.
      closeRun();
      let j = i + 8;
      while (j < count && values[j] === value) j++;
      appendRun(sink, j - i, value, valueBytes);
      i = j;
      continue;
    }
    if (header < 0) {
      sink.ensure(1);
      header = sink.length++;
    }
    appendGroup(sink, values, i, 8, width);
    groups++;
    if (groups === MAX_GROUPS_PER_BIT_PACKED_RUN) closeRun();
    i += 8;
  }
  const rest = count - i;
  if (rest > 0) {
    let same = 1;
    while (same < rest && values[i + same] === values[i]) same++;
    if (header < 0 && same === rest) {
      // The last values, all equal and not after a bit-packed run: one RLE run.
      appendRun(sink, rest, values[i] as number, valueBytes);
      return;
    }
    if (header < 0) {
      sink.ensure(1);
      header = sink.length++;
    }
    // The last group, padded with zeros.
    appendGroup(sink, values, i, rest, width);
    groups++;
  }
  closeRun();
}

function appendRun(sink: ByteSink, length: number, value: number, valueBytes: number): void {
  sink.varint(length * 2);
  sink.ensure(valueBytes);
  for (let b = 0; b < valueBytes; b++) sink.buf[sink.length++] = value >>> (8 * b);
}

/** Bit-packs `values[from, from + n)` and 8 - n zeros, least significant bit first: `width` bytes. */
function appendGroup(sink: ByteSink, values: Int32Array, from: number, n: number, width: number): void {
  sink.ensure(width);
  const buf = sink.buf;
  let at = sink.length;
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < 8; k++) {
    const value = k < n ? (values[from + k] as number) : 0;
    if (width <= 24) {
      // Fewer than 8 bits wait in `acc` before a value is added, so `acc` stays within 31 bits.
      acc |= value << bits;
      bits += width;
    } else {
      // Wider values (a dictionary of more than 2^24 entries) go in two parts.
      acc |= (value & 0xffff) << bits;
      bits += 16;
      while (bits >= 8) {
        buf[at++] = acc;
        acc >>>= 8;
        bits -= 8;
      }
      acc |= (value >>> 16) << bits;
      bits += width - 16;
    }
    while (bits >= 8) {
      buf[at++] = acc;
      acc >>>= 8;
      bits -= 8;
    }
  }
  sink.length = at;
}

type ZstdOptions = { params: Record<number, number> };

/** The part of a zlib stream's native handle that compresses a buffer synchronously (node:zlib internals). */
interface NativeZstdHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  reset(): void;
}

/** Node's native ZSTD (node:zlib, Node 22.15 and later; the functions run on Node 24), typed here (@types/node 20). */
const zstd = zlib as unknown as {
  zstdCompressSync?: (data: Uint8Array, options: ZstdOptions) => Buffer;
  createZstdCompress?: (options: ZstdOptions) => NodeJS.EventEmitter & {
    _handle?: Partial<NativeZstdHandle>;
    _writeState?: unknown;
  };
  constants: { ZSTD_c_compressionLevel?: number; ZSTD_e_end?: number };
};

/** How a page compressor reaches ZSTD: one native context reused frame after frame, or a new one per page. */
export type ZstdPath = 'reused-context' | 'zstdCompressSync';

/**
 * Compresses pages as ZSTD frames at one level, each frame standing alone (what a Parquet page holds).
 *
 * `zlib.zstdCompressSync` builds a whole zlib stream and a new native ZSTD context for every call: measured on
 * Node 24, 22 µs of CPU before a byte is compressed, against 0.5 µs to compress a 10-byte page on a context kept
 * and reset. A store-day file has 20 pages, most of them small, so per-call cost is what ZSTD costs the upload path
 * (3.7 ms per MB of JSON, more than half of the whole conversion's budget). This keeps one zlib ZstdCompress
 * stream's native handle and drives it as zlib's own synchronous functions do (writeSync with ZSTD_e_end, then
 * reset for the next frame): the same library and the same bytes as zstdCompressSync (test/parquet-pages.test.ts
 * compares them), without the per-call setup. The handle is a zlib internal, so it is checked when the compressor
 * is made; where it is not as expected (another Node), every page goes through zstdCompressSync instead.
 */
export class ZstdPageCompressor {
  private handle: NativeZstdHandle | undefined;
  private state: Uint32Array | undefined;
  private readonly end: number;
  private out = Buffer.allocUnsafe(64 * 1024);
  private error: unknown;

  constructor(readonly level: number) {
    const levelParam = zstd.constants.ZSTD_c_compressionLevel;
    if (!zstd.zstdCompressSync || levelParam === undefined) {
      throw new Error(`this Node (${process.version}) has no native ZSTD (node:zlib zstdCompressSync, Node 22.15+)`);
    }
    this.end = zstd.constants.ZSTD_e_end ?? -1;
    const engine = zstd.createZstdCompress?.({ params: { [levelParam]: level } });
    const handle = engine?._handle;
    const state = engine?._writeState;
    if (
      engine &&
      typeof handle?.writeSync === 'function' &&
      typeof handle.reset === 'function' &&
      state instanceof Uint32Array &&
      state.length === 2 &&
      this.end >= 0
    ) {
      // A failing native call reports through the stream's 'error' event (zlib's synchronous functions do the same).
      engine.on('error', (error: unknown) => {
        this.error = error;
      });
      this.handle = handle as NativeZstdHandle;
      this.state = state;
    } else {
      engine?.removeAllListeners();
    }
  }

  /** How pages reach ZSTD now. */
  get path(): ZstdPath {
    return this.handle ? 'reused-context' : 'zstdCompressSync';
  }

  /** `data` as one ZSTD frame, its size in the frame header. The result is the caller's (a copy). */
  compress(data: Uint8Array): Uint8Array {
    return this.compressView(data).slice();
  }

  /** As `compress`, but the result is a view of the compressor's buffer, valid until its next call. */
  compressView(data: Uint8Array): Uint8Array {
    const { handle, state } = this;
    if (!handle || !state) {
      const levelParam = zstd.constants.ZSTD_c_compressionLevel as number;
      return (zstd.zstdCompressSync as NonNullable<typeof zstd.zstdCompressSync>)(data, {
        params: { [levelParam]: this.level },
      });
    }
    // ZSTD_compressBound: with this much room, one call with ZSTD_e_end writes the whole frame.
    const n = data.length;
    const bound = n + (n >>> 8) + (n < 131_072 ? (131_072 - n) >>> 11 : 0) + 64;
    if (this.out.length < bound) this.out = Buffer.allocUnsafe(Math.max(bound, 2 * this.out.length));
    let produced = 0;
    let inputOffset = 0;
    let inputLength = n;
    for (;;) {
      handle.writeSync(this.end, data, inputOffset, inputLength, this.out, produced, this.out.length - produced);
      if (this.error !== undefined) {
        // zlib destroys a stream whose native call failed: from now on this compressor makes a context per page.
        const error = this.error;
        this.error = undefined;
        this.handle = undefined;
        this.state = undefined;
        throw error;
      }
      const outputLeft = state[0] as number;
      const inputLeft = state[1] as number;
      produced = this.out.length - outputLeft;
      inputOffset += inputLength - inputLeft;
      inputLength = inputLeft;
      // Room left over means the frame is complete; a full buffer (never with the bound above) asks for more.
      if (outputLeft > 0) break;
      const bigger = Buffer.allocUnsafe(2 * this.out.length);
      this.out.copy(bigger, 0, 0, produced);
      this.out = bigger;
    }
    handle.reset();
    return this.out.subarray(0, produced);
  }
}

const compressors = new Map<number, ZstdPageCompressor>();

/** The page compressor of `level`, made once per level and shared (compression is synchronous). */
export function zstdPageCompressor(level: number): ZstdPageCompressor {
  let compressor = compressors.get(level);
  if (!compressor) {
    compressor = new ZstdPageCompressor(level);
    compressors.set(level, compressor);
  }
  return compressor;
}
