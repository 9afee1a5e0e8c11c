import type { ByteSink } from '../src/parquet-pages';

/**
 * The RLE/bit-packed hybrid as arrow-rs's RleEncoder (the writer inside parquet-wasm) produces it, value by value:
 * a straight transcription of its state machine, kept here as the reference the encoder's group-wise version
 * (appendHybrid) is checked against.
 */
export function referenceHybrid(sink: ByteSink, values: ArrayLike<number>, count: number, width: number): void {
  const encoder = new HybridEncoder(sink, width);
  for (let i = 0; i < count; i++) encoder.put(values[i] as number);
  encoder.flush();
}

const MAX_GROUPS_PER_BIT_PACKED_RUN = 63;

class HybridEncoder {
  private readonly buffered = new Int32Array(8);
  private buffer = 0;
  private current = -1;
  private repeats = 0;
  /** Values in the bit-packed run being written (a multiple of 8). */
  private packed = 0;
  /** Where the header of the bit-packed run being written is (-1: none). */
  private header = -1;
  private readonly valueBytes: number;
  /** Bits waiting for a whole byte. */
  private acc = 0;
  private bits = 0;

  constructor(
    private readonly sink: ByteSink,
    private readonly width: number,
  ) {
    this.valueBytes = (width + 7) >>> 3;
  }

  put(value: number): void {
    if (value === this.current) {
      this.repeats++;
      // A run continues: nothing to hold.
      if (this.repeats > 8) return;
    } else {
      if (this.repeats >= 8) this.flushRun();
      this.repeats = 1;
      this.current = value;
    }
    this.buffered[this.buffer++] = value;
    if (this.buffer === 8) this.flushGroup();
  }

  /** Writes out whatever is held: the run, or the last group padded to 8. */
  flush(): void {
    if (this.packed === 0 && this.repeats === 0 && this.buffer === 0) return;
    const allRepeat = this.packed === 0 && (this.repeats === this.buffer || this.buffer === 0);
    if (this.repeats > 0 && allRepeat) {
      this.flushRun();
      return;
    }
    if (this.buffer > 0) {
      while (this.buffer < 8) this.buffered[this.buffer++] = 0;
    }
    this.packed += this.buffer;
    this.flushPacked(true);
    this.repeats = 0;
  }

  private flushGroup(): void {
    if (this.repeats >= 8) {
      // The group is the start of a run: it is written as the run, once the run ends.
      this.buffer = 0;
      if (this.packed > 0) this.flushPacked(true);
      return;
    }
    this.packed += this.buffer;
    this.flushPacked(this.packed / 8 >= MAX_GROUPS_PER_BIT_PACKED_RUN);
    this.repeats = 0;
  }

  private flushRun(): void {
    const sink = this.sink;
    sink.varint(this.repeats * 2);
    sink.ensure(this.valueBytes);
    for (let b = 0; b < this.valueBytes; b++) sink.buf[sink.length++] = this.current >>> (8 * b);
    this.buffer = 0;
    this.repeats = 0;
  }

  /** Bit-packs the held values into the current run, and closes the run (writes its header) when `close`. */
  private flushPacked(close: boolean): void {
    const sink = this.sink;
    if (this.header < 0) {
      sink.ensure(1);
      this.header = sink.length++;
    }
    const width = this.width;
    sink.ensure(width + 4);
    const buf = sink.buf;
    let at = sink.length;
    let acc = this.acc;
    let bits = this.bits;
    for (let i = 0; i < this.buffer; i++) {
      const value = this.buffered[i] as number;
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
    // 8 values of `width` bits are `width` whole bytes: nothing waits between groups.
    this.acc = acc;
    this.bits = bits;
    sink.length = at;
    this.buffer = 0;
    if (close) {
      buf[this.header] = (this.packed / 8) * 2 + 1;
      this.header = -1;
      this.packed = 0;
    }
  }
}
