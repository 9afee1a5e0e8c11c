/**
 * The fast path of StoreFileReader: one pass over the bytes of a line item in the shape stores export (the ten known
 * fields in any order, any JSON whitespace, plain strings, plain decimals), building the validated CanonicalRow
 * directly. Anything else (an escape, an unknown, missing or repeated field, a bound crossed, an exponent, a third
 * decimal, a bad timestamp, nesting, a line past the size bound, the end of the buffer) makes it answer "not mine",
 * and that line goes through the general path (JsonArrayScanner + JSON.parse + checkLineItem), which alone decides
 * what is rejected and why. So the fast path may only accept what the general path accepts, with the same row; it
 * never rejects. `test/store-line-parser.test.ts` and process-upload's hostile-corpus differential test check that.
 *
 * Why hand-written (measured with `node --cpu-prof` on the generated month, docs/performance.md): the general path
 * costs ≈ 7.0 ms per MB of JSON on this machine: the scanner 2.0 (a byte loop that only finds where a line ends),
 * JSON.parse 2.6 (it builds an object of ten properties and ten strings per line, most of them the same as the line
 * before), the TypeBox check and the cross-field rules 2.4 (a second walk over every value, a regex per timestamp,
 * float-to-cents). This parser walks the bytes once, compares keys and repeated values byte by byte (a store file
 * repeats its transaction, customer and timestamp on consecutive lines and draws its SKUs and names from a small
 * catalogue), decodes a string only the first time its bytes are seen, reads money as integer cents from the digits
 * and the timestamp from fixed positions. Measured on the month (CPU, same run): 7.6 ms/MB before, 2.9 after (3.2
 * with the store-day figures); in the profile after, this byte loop is some 40% of the read, new strings 7%, the
 * rows' garbage collection 4–9%. No well-kept library parses JSON from bytes into a validated, typed row: the JSON
 * parsers for Node (JSON.parse, streaming tokenisers) all build generic values first, which is the cost removed.
 */
import type { CanonicalRow } from './canonical-row.schema';
import { parseTimestamp } from './dates';
import type { StoreDay } from './keys';
import { LINE_ITEM_MAXIMUM, MAX_TEXT_LENGTH, STORE_LINE_FIELDS } from './store-file.schema';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;

/** 1 for the four bytes JSON counts as whitespace. */
const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09]) SPACE[c] = 1;

/** 1 for the bytes a string holds as they are: printable ASCII but the quote and the backslash. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) if (c !== QUOTE && c !== BACKSLASH) PLAIN[c] = 1;

// Field indices, in STORE_LINE_FIELDS order.
const TX = 0;
const TS = 1;
const SKU = 2;
const NAME = 3;
const QTY = 4;
const UNIT = 5;
const TOTAL = 6;
const DISCOUNT = 7;
const PAY = 8;
const CUSTOMER = 9;
const ALL_FIELDS = (1 << STORE_LINE_FIELDS.length) - 1;
if (
  STORE_LINE_FIELDS.join() !==
  'transaction_id,transaction_timestamp,item_sku,item_name,quantity,unit_price,line_total,discount_amount,payment_method,customer_id'
) {
  throw new Error('store-line-parser.ts: the fields of StoreLineItem changed; update the field indices');
}

const encoder = new TextEncoder();
/** Each field's name followed by its closing quote, as bytes. */
const KEYS = STORE_LINE_FIELDS.map((field) => encoder.encode(`${field}"`));
/** The payment methods as bytes (their closing quote included) and as the strings the row carries. */
const METHODS = (['cash', 'credit', 'debit', 'gift_card', 'mobile'] as const).map((m) => ({
  text: m,
  bytes: encoder.encode(`${m}"`),
}));
// ignoreBOM: a string that starts with U+FEFF keeps it, as JSON.parse of the whole line does.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const MAX_QUANTITY = LINE_ITEM_MAXIMUM.quantity;
const MAX_UNIT_CENTS = LINE_ITEM_MAXIMUM.unit_price * 100;
const MAX_TOTAL_CENTS = LINE_ITEM_MAXIMUM.line_total * 100;

/**
 * Strings seen before, by their bytes: a direct-mapped table of `slots` entries, each holding a copy of the bytes
 * (at most `slotBytes`) and the decoded string. A hit costs a byte comparison instead of a decode and a new string.
 */
class TextCache {
  private readonly arena: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly values: string[];
  private readonly mask: number;

  constructor(
    slots: number,
    private readonly slotBytes: number,
  ) {
    this.arena = new Uint8Array(slots * slotBytes);
    this.lengths = new Int32Array(slots).fill(-1);
    this.values = new Array<string>(slots).fill('');
    this.mask = slots - 1;
  }

  /** The slot `text` answered from last: a transaction's lines repeat its id and customer. */
  private last = -1;
  /** The byte length of the text `again` answered. */
  lastBytes = 0;

  /**
   * The text `text` answered last when bytes[start…] hold its bytes and then a closing quote (its bytes hold none,
   * so that is the same string), else undefined. One pass over the bytes instead of a scan and a comparison.
   */
  again(bytes: Uint8Array, start: number, n: number): string | undefined {
    const slot = this.last;
    if (slot < 0) return undefined;
    const length = this.lengths[slot] as number;
    if (start + length >= n || bytes[start + length] !== QUOTE) return undefined;
    const arena = this.arena;
    const at = slot * this.slotBytes;
    for (let k = 0; k < length; k++) if (arena[at + k] !== bytes[start + k]) return undefined;
    this.lastBytes = length;
    return this.values[slot];
  }

  /**
   * The text of bytes[start, end) (hash `hash`), or undefined when they are not UTF-8. `latin1`: the same bytes as a
   * Buffer when they are all ASCII (a Buffer's latin1 slice makes the string some twice as fast as TextDecoder).
   */
  text(bytes: Uint8Array, start: number, end: number, hash: number, latin1: Buffer | undefined): string | undefined {
    const length = end - start;
    const slot = hash & this.mask;
    const at = slot * this.slotBytes;
    const arena = this.arena;
    if (this.lengths[slot] === length) {
      let k = 0;
      while (k < length && arena[at + k] === bytes[start + k]) k++;
      if (k === length) {
        this.last = slot;
        return this.values[slot];
      }
    }
    let value: string;
    if (latin1) {
      value = latin1.toString('latin1', start, end);
    } else {
      try {
        value = utf8.decode(bytes.subarray(start, end));
      } catch {
        return undefined;
      }
    }
    if (length <= this.slotBytes) {
      for (let k = 0; k < length; k++) arena[at + k] = bytes[start + k] as number;
      this.lengths[slot] = length;
      this.values[slot] = value;
      this.last = slot;
    }
    return value;
  }
}

let caches: TextCache[] | undefined;

/**
 * The text caches, one per text field, shared by every parser of the process: building them costs more than reading
 * a small file, and the SKUs and names of one file are mostly those of the last. A cache changes no result (a hit is
 * the same bytes, so the same text); its memory is fixed (some 400 KB).
 */
function sharedCaches(): TextCache[] {
  if (caches) return caches;
  const cache = (field: keyof typeof MAX_TEXT_LENGTH, slots: number) => new TextCache(slots, MAX_TEXT_LENGTH[field]);
  caches = [];
  caches[TX] = cache('transaction_id', 64);
  caches[SKU] = cache('item_sku', 1024);
  caches[NAME] = cache('item_name', 1024);
  caches[CUSTOMER] = cache('customer_id', 256);
  return caches;
}

/**
 * Reads one line item of a store file from its bytes, in the fast shape only (see the file's comment). `parse`
 * answers where the line ends and leaves its row in `row`, or answers -1 (and the line goes the general way).
 */
export class StoreLineParser {
  /** The row of the last line `parse` took. */
  row: CanonicalRow | undefined;
  private readonly dateBytes: Uint8Array;
  /** Epoch ms of the file's date at 00:00 UTC; NaN when the date is not a calendar date (no timestamp is fast). */
  private readonly dayMs: number;
  private readonly caches: TextCache[];
  /** The field most often after each field (learned from the lines read): the key tried first. */
  private readonly nextField = new Int8Array(STORE_LINE_FIELDS.length + 1);
  // The last timestamp's bytes and what they mean: consecutive lines of a transaction share it.
  private readonly lastTs = new Uint8Array(64);
  private lastTsLength = -1;
  private lastTsMs = 0;
  private lastTsOffset = 0;
  private bytes: Uint8Array | undefined;
  private viewBytes: Uint8Array | undefined;
  private view: DataView | undefined;
  private buffer: Buffer | undefined;
  // Out-values of the value readers (no object per value).
  private pos = 0;
  private text = '';
  private value = 0;

  constructor(
    private readonly storeDay: StoreDay,
    private readonly maxLineBytes: number,
  ) {
    this.dateBytes = encoder.encode(storeDay.date);
    const day = parseTimestamp(`${storeDay.date}T00:00:00Z`);
    this.dayMs = day && day.localDate === storeDay.date && this.dateBytes.length === 10 ? day.epochMs : Number.NaN;
    this.caches = sharedCaches();
    // Before any line is read: the schema's order (index STORE_LINE_FIELDS.length stands for the opening brace).
    for (let f = 0; f < STORE_LINE_FIELDS.length; f++) this.nextField[f] = (f + 1) % STORE_LINE_FIELDS.length;
    this.nextField[STORE_LINE_FIELDS.length] = 0;
  }

  /**
   * Reads the line item whose `{` is at bytes[start]. Returns the position after its `}` and sets `row`, or -1 when
   * the line is not in the fast shape or not valid (it may be either: the general path decides).
   */
  parse(bytes: Uint8Array, start: number): number {
    // The whole line, its closing brace included, must fit the line bound the scanner enforces.
    const n = Math.min(bytes.length, start + this.maxLineBytes);
    const view = this.viewOf(bytes);
    let p = start + 1;
    let seen = 0;
    let previous = STORE_LINE_FIELDS.length;
    let tx = '';
    let sku = '';
    let name = '';
    let customer = '';
    let method = '';
    let quantity = 0;
    let unit = 0;
    let total = 0;
    let discount = 0;
    let ms = 0;
    let offset = 0;
    while (p < n && SPACE[bytes[p] as number] === 1) p++;
    for (;;) {
      if (p >= n || bytes[p] !== QUOTE) return -1;
      p++;
      // The key: the one that followed the previous key last time, else any of the ten.
      let field = this.nextField[previous] as number;
      let end = matchKey(bytes, view, p, n, field);
      if (end < 0) {
        for (field = 0; field < KEYS.length; field++) {
          end = matchKey(bytes, view, p, n, field);
          if (end >= 0) break;
        }
        if (end < 0) return -1;
        this.nextField[previous] = field;
      }
      const bit = 1 << field;
      if ((seen & bit) !== 0) return -1; // a repeated field: JSON.parse keeps the last, the general path judges
      seen |= bit;
      previous = field;
      p = end;
      while (p < n && SPACE[bytes[p] as number] === 1) p++;
      if (p >= n || bytes[p] !== COLON) return -1;
      p++;
      while (p < n && SPACE[bytes[p] as number] === 1) p++;
      if (p >= n) return -1;
      switch (field) {
        case TX:
        case SKU:
        case NAME:
        case CUSTOMER: {
          if (!this.readText(bytes, p, n, field)) return -1;
          if (field === TX) tx = this.text;
          else if (field === SKU) sku = this.text;
          else if (field === NAME) name = this.text;
          else customer = this.text;
          break;
        }
        case TS:
          if (!this.readTimestamp(bytes, p, n)) return -1;
          ms = this.lastTsMs;
          offset = this.lastTsOffset;
          break;
        case PAY:
          if (!this.readMethod(bytes, p, n)) return -1;
          method = this.text;
          break;
        case QTY:
          if (!this.readQuantity(bytes, p, n)) return -1;
          quantity = this.value;
          break;
        case UNIT:
          if (!this.readCents(bytes, p, n) || this.value > MAX_UNIT_CENTS) return -1;
          unit = this.value;
          break;
        case TOTAL:
          if (!this.readCents(bytes, p, n) || this.value > MAX_TOTAL_CENTS) return -1;
          total = this.value;
          break;
        case DISCOUNT:
          if (!this.readCents(bytes, p, n) || this.value > MAX_TOTAL_CENTS) return -1;
          discount = this.value;
          break;
      }
      p = this.pos;
      while (p < n && SPACE[bytes[p] as number] === 1) p++;
      if (p >= n) return -1;
      const c = bytes[p] as number;
      p++;
      if (c === COMMA) {
        while (p < n && SPACE[bytes[p] as number] === 1) p++;
        continue;
      }
      if (c !== CLOSE_BRACE) return -1;
      break;
    }
    if (seen !== ALL_FIELDS) return -1;
    // The rules across fields (checkLineItem's), in integer cents.
    if (Math.abs(total - unit * quantity) > 1 || discount > total) return -1;
    this.row = {
      store_id: this.storeDay.storeId,
      business_date: this.storeDay.date,
      transaction_id: tx,
      timestamp_ms: ms,
      utc_offset_minutes: offset,
      item_sku: sku,
      item_name: name,
      quantity,
      unit_price_cents: unit,
      line_total_cents: total,
      discount_cents: discount,
      payment_method: method as CanonicalRow['payment_method'],
      customer_id: customer,
    };
    return p;
  }

  /** A string value at bytes[p] of a text field: no escape, no control byte, UTF-8, 1..MAX_TEXT_LENGTH units. */
  private readText(bytes: Uint8Array, p: number, n: number, field: number): boolean {
    if (bytes[p] !== QUOTE) return false;
    const start = ++p;
    const cache = this.caches[field] as TextCache;
    const max =
      field === TX
        ? MAX_TEXT_LENGTH.transaction_id
        : field === SKU
          ? MAX_TEXT_LENGTH.item_sku
          : field === NAME
            ? MAX_TEXT_LENGTH.item_name
            : MAX_TEXT_LENGTH.customer_id;
    if (field === TX || field === CUSTOMER) {
      const repeated = cache.again(bytes, start, n);
      if (repeated !== undefined) {
        if (repeated.length > max) return false;
        this.text = repeated;
        this.pos = start + cache.lastBytes + 1;
        return true;
      }
    }
    let ascii = true;
    for (;;) {
      while (p < n && PLAIN[bytes[p] as number] === 1) p++;
      if (p >= n) return false;
      const c = bytes[p] as number;
      if (c === QUOTE) break;
      if (c < 0x80) return false; // an escape or a control character
      ascii = false;
      p++;
    }
    const length = p - start;
    if (length === 0) return false;
    // The cache slot: from the length and a few bytes (the last ones tell ids and SKUs apart), not a pass over all.
    const hash =
      Math.imul(length, 0x9e3779b1) ^
      ((bytes[p - 1] as number) | ((bytes[p - 2] as number) << 8) | ((bytes[p - 3] as number) << 16)) ^
      ((bytes[start + (length >> 1)] as number) << 5);
    // ASCII: one byte, one UTF-16 unit. Otherwise the decoded text's length counts.
    if (ascii && length > max) return false;
    const text = cache.text(bytes, start, p, hash ^ (hash >>> 12), ascii ? this.bufferOf(bytes) : undefined);
    if (text === undefined || text.length > max) return false;
    // A string decoded from valid UTF-8 holds no lone surrogate: it is well-formed Unicode.
    this.text = text;
    this.pos = p + 1;
    return true;
  }

  /** A DataView over `bytes`, for the keys' word compares. */
  private viewOf(bytes: Uint8Array): DataView {
    if (bytes !== this.viewBytes) {
      this.viewBytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.view as DataView;
  }

  /** `bytes` as a Buffer (the same memory), for its latin1 slices. */
  private bufferOf(bytes: Uint8Array): Buffer {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.buffer as Buffer;
  }

  /** A payment method: one of the five, byte for byte. */
  private readMethod(bytes: Uint8Array, p: number, n: number): boolean {
    if (bytes[p] !== QUOTE) return false;
    p++;
    for (const m of METHODS) {
      const key = m.bytes;
      if (p + key.length > n) continue;
      let k = 0;
      while (k < key.length && bytes[p + k] === key[k]) k++;
      if (k === key.length) {
        this.text = m.text;
        this.pos = p + key.length;
        return true;
      }
    }
    return false;
  }

  /**
   * A timestamp `"<the file's date>Thh:mm:ss(Z|±hh:mm)"` read from fixed positions; one with a fraction of a second
   * goes through parseTimestamp itself. The last one is kept by its bytes: a transaction's lines repeat it.
   */
  private readTimestamp(bytes: Uint8Array, p: number, n: number): boolean {
    if (bytes[p] !== QUOTE) return false;
    const start = ++p;
    const last = this.lastTs;
    // The last timestamp again (its bytes hold no quote, so these bytes and a quote are that same string).
    const lastLength = this.lastTsLength;
    if (lastLength > 0 && start + lastLength < n && bytes[start + lastLength] === QUOTE) {
      let k = 0;
      while (k < lastLength && last[k] === bytes[start + k]) k++;
      if (k === lastLength) {
        this.pos = start + lastLength + 1;
        return true;
      }
    }
    while (p < n && bytes[p] !== QUOTE) {
      const c = bytes[p] as number;
      if (c < 0x20 || c >= 0x7f || c === BACKSLASH) return false;
      p++;
    }
    if (p >= n) return false;
    const length = p - start;
    this.pos = p + 1;
    if (length < 20 || length > last.length || Number.isNaN(this.dayMs)) return false;
    const date = this.dateBytes;
    for (let k = 0; k < 10; k++) if (bytes[start + k] !== date[k]) return false;
    let ms: number;
    let offset: number;
    if (bytes[start + 19] === DOT) {
      // A fraction of a second: rare, and parseTimestamp's own arithmetic keeps the result the same.
      let text = '';
      for (let k = start; k < p; k++) text += String.fromCharCode(bytes[k] as number);
      const ts = parseTimestamp(text);
      if (!ts || ts.localDate !== this.storeDay.date) return false;
      ms = ts.epochMs;
      offset = ts.offsetMinutes;
    } else {
      if (bytes[start + 10] !== 0x54 || bytes[start + 13] !== COLON || bytes[start + 16] !== COLON) return false;
      const hour = twoDigits(bytes, start + 11);
      const minute = twoDigits(bytes, start + 14);
      const second = twoDigits(bytes, start + 17);
      if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
      const zone = bytes[start + 19] as number;
      if (zone === 0x5a) {
        if (length !== 20) return false;
        offset = 0;
      } else {
        if (length !== 25 || (zone !== 0x2b && zone !== 0x2d) || bytes[start + 22] !== COLON) return false;
        const oh = twoDigits(bytes, start + 20);
        const om = twoDigits(bytes, start + 23);
        if (oh < 0 || oh > 14 || om < 0 || om > 59) return false;
        // The same expression as parseTimestamp's (so "-00:00" gives the same -0).
        offset = (zone === 0x2d ? -1 : 1) * (oh * 60 + om);
      }
      ms = this.dayMs + hour * 3_600_000 + minute * 60_000 + second * 1000 - offset * 60_000;
    }
    last.set(bytes.subarray(start, p));
    this.lastTsLength = length;
    this.lastTsMs = ms;
    this.lastTsOffset = offset;
    return true;
  }

  /** quantity: a JSON integer 1..LINE_ITEM_MAXIMUM.quantity written as plain digits. */
  private readQuantity(bytes: Uint8Array, p: number, n: number): boolean {
    let c = bytes[p] as number;
    if (c <= ZERO || c > NINE) return false;
    let value = 0;
    let digits = 0;
    while (p < n) {
      c = bytes[p] as number;
      if (c < ZERO || c > NINE) break;
      if (++digits > 6) return false;
      value = value * 10 + (c - ZERO);
      p++;
    }
    if (value > MAX_QUANTITY) return false;
    this.value = value;
    this.pos = p;
    return true;
  }

  /**
   * An amount of money: a JSON number with at most two decimals and no exponent, as integer cents (what toCents
   * gives for it: every such number up to the bounds converts exactly). Anything else goes the general way.
   */
  private readCents(bytes: Uint8Array, p: number, n: number): boolean {
    let c = bytes[p] as number;
    let whole = 0;
    if (c === ZERO) {
      p++;
    } else if (c > ZERO && c <= NINE) {
      let digits = 0;
      while (p < n) {
        c = bytes[p] as number;
        if (c < ZERO || c > NINE) break;
        if (++digits > 9) return false;
        whole = whole * 10 + (c - ZERO);
        p++;
      }
    } else {
      return false;
    }
    let cents = whole * 100;
    if (p < n && bytes[p] === DOT) {
      p++;
      c = bytes[p] as number;
      if (p >= n || c < ZERO || c > NINE) return false;
      cents += (c - ZERO) * 10;
      p++;
      c = bytes[p] as number;
      if (p < n && c >= ZERO && c <= NINE) {
        cents += c - ZERO;
        p++;
        c = bytes[p] as number;
        if (p < n && c >= ZERO && c <= NINE) return false; // a third decimal: toCents judges it
      }
    }
    this.value = cents;
    this.pos = p;
    return true;
  }
}

/** Each key's bytes (name and closing quote) as little-endian 32-bit words, its last 0–3 bytes apart. */
const KEY_WORDS = KEYS.map((key) => {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return Int32Array.from({ length: key.length >> 2 }, (_, w) => view.getInt32(w * 4, true));
});

/** Where key `field` (its name and closing quote) ends when it starts at bytes[p] (`view` over bytes), else -1. */
function matchKey(bytes: Uint8Array, view: DataView, p: number, n: number, field: number): number {
  const key = KEYS[field] as Uint8Array;
  const length = key.length;
  if (p + length > n) return -1;
  const words = KEY_WORDS[field] as Int32Array;
  for (let w = 0; w < words.length; w++) if (view.getInt32(p + w * 4, true) !== words[w]) return -1;
  for (let k = words.length * 4; k < length; k++) if (bytes[p + k] !== key[k]) return -1;
  return p + length;
}

/** The number of two ASCII digits at bytes[p], or -1. */
function twoDigits(bytes: Uint8Array, p: number): number {
  const a = (bytes[p] as number) - ZERO;
  const b = (bytes[p + 1] as number) - ZERO;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}
