/**
 * A byte scanner that splits a JSON array, arriving in chunks, into its elements, without parsing them.
 *
 * Why it exists (hand-written, measured): `JSON.parse` of a whole store file needs the whole text in memory (1 GB of
 * JSON is 1 GB of string, then the parsed objects on top) and recurses into every level of nesting, so a record
 * nested 10,000 levels deep overflows the stack while the rest of the file is fine. No well-kept streaming JSON
 * parser for Node that we found bounds nesting before it recurses and also hands back the raw bytes of an element
 * (the rejection report shows a line as it came); the streaming parsers measured (token-by-token in JS) run at a
 * tenth of JSON.parse's speed. This scanner only finds element boundaries (strings, escapes, brackets), bounds
 * every element's depth and size, and leaves the parsing of each run of elements to JSON.parse, which stays the
 * one parser of values. It is tested against JSON.parse (`test/json-array-scanner.test.ts`).
 * Delete it when Node ships a streaming JSON parser with a depth limit.
 */

import { ValidationError } from './errors';

/** Why one element was not handed over for parsing. `key`: the field (depth-1 key) whose value it happened in. */
export type ElementFault =
  | { kind: 'depth'; key: string | undefined }
  | { kind: 'size'; key: string | undefined; bytes: number };

/** One element of the array: bytes `[start, end)` of `bytes` (valid until the next push), its 1-based position. */
export interface ScannedElement {
  start: number;
  end: number;
  line: number;
  fault?: ElementFault;
  /** For a faulty element: its first bytes as text, to show in the rejection report. */
  excerpt?: string;
}

/** The file as a whole is not a JSON array that can be split (the reason says where). */
export class ArrayScanError extends ValidationError {
  override readonly name = 'ArrayScanError' as const;
}

/** The bounds the scanner enforces per element. */
export interface ScannerLimits {
  /** The deepest nesting an element may have (1 = an object of scalars). Deeper elements are faulted, not parsed. */
  maxDepth: number;
  /** The most bytes one element may take. Larger ones are faulted and not kept in memory. */
  maxElementBytes: number;
}

/**
 * A reader of whole objects the scanner offers each element that starts with `{` (the fast path of StoreFileReader):
 * at its start, and once more, from the start of the buffer, when it was cut by the end of a chunk. It answers where the element ends when it took the element (which then counts as a line
 * but is not returned by `push`), or -1 to have the scanner scan it as usual. `pending`: the elements of this push
 * returned so far, in order (so the reader can hand them on before the one it takes). It must take only an element
 * the scanner would have returned whole and unfaulted, ending at the position it answers.
 */
export type ObjectReader = (bytes: Uint8Array, start: number, pending: readonly ScannedElement[]) => number;

/** Beyond this depth the file is rejected whole: the bracket stack would itself be a memory attack. */
const MAX_SCAN_DEPTH = 1 << 20;
const EXCERPT_BYTES = 200;

enum State {
  BeforeArray,
  FirstElementOrClose,
  Element,
  InElement,
  AfterElement,
  Done,
}

enum Kind {
  Object = 1,
  Array = 2,
  String = 3,
  Literal = 4,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Per byte inside an element, outside strings: 0 for the bytes the scanner passes over (most of them). */
const STRUCTURAL = new Uint8Array(256);
for (const c of [QUOTE, OPEN_BRACE, OPEN_BRACKET, CLOSE_BRACE, CLOSE_BRACKET, COMMA]) STRUCTURAL[c] = 1;
/** Per byte inside a string: 1 for the quote and the backslash. */
const STRING_STOP = new Uint8Array(256);
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

const lenient = new TextDecoder('utf-8');

/**
 * Splits a JSON array into elements. Call `push` with each chunk in order; it returns the elements completed in
 * that chunk, positions relative to `lastBytes` (the carried part of an element cut by the previous chunk, then the
 * chunk). Call `end` after the last chunk. Throws ArrayScanError when the file is not a JSON array that can be split:
 * not an array, a bracket that closes the wrong kind, text between elements, content after the array, unterminated.
 */
export class JsonArrayScanner {
  /** The buffer the last push's element positions refer to. */
  lastBytes: Uint8Array = new Uint8Array(0);
  private state = State.BeforeArray;
  private offset = 0; // bytes of the file before lastBytes[0]
  private line = 0;
  private seenAny = false;
  // The element being scanned.
  private kind: Kind = Kind.Object;
  private depth = 0;
  private stack = new Uint8Array(64);
  private inString = false;
  private escape = false;
  private elementStart = 0; // in the current buffer; 0 when carried
  private elementBytes = 0; // bytes of the element in earlier buffers (when carried or skipped)
  private carry: Uint8Array | undefined;
  private skipping = false;
  private fault: ElementFault | undefined;
  private excerpt: string | undefined;
  private expectKey = false;
  private keyStart = -1;
  private keyEnd = -1;
  private key: string | undefined;
  private readEnd = 0;
  /** The element being scanned was offered to the object reader after it was carried. */
  private offered = false;

  constructor(
    private readonly limits: ScannerLimits,
    private readonly objectReader?: ObjectReader,
  ) {}

  push(chunk: Uint8Array): ScannedElement[] {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.offset -= this.carry.length;
      this.carry = undefined;
    }
    this.lastBytes = bytes;
    const out: ScannedElement[] = [];
    let i = this.state === State.InElement ? this.resumeAt(bytes, chunk) : 0;
    // An object cut by the end of the last chunk now starts this buffer: offered whole to the object reader first,
    // once (an element spread over more chunks is scanned, so tiny chunks cannot make the reader read it again).
    if (bytes !== chunk && this.objectReader && this.kind === Kind.Object && !this.skipping && !this.offered) {
      this.offered = true;
      const end = this.objectReader(bytes, 0, out);
      if (end >= 0) {
        this.state = State.AfterElement; // its line was counted when it started
        i = end;
      }
    }
    const n = bytes.length;
    while (i < n) {
      if (this.state === State.InElement) {
        i = this.scanElement(bytes, i, out);
        continue;
      }
      const c = bytes[i] as number;
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.state) {
        case State.BeforeArray:
          if (!this.seenAny && this.offset + i === 0 && c === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
            i += 3; // a UTF-8 byte order mark, as some exports write
            continue;
          }
          if ((c === 0xff && bytes[i + 1] === 0xfe) || (c === 0xfe && bytes[i + 1] === 0xff)) {
            throw new ArrayScanError('the file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8');
          }
          if (c !== OPEN_BRACKET) throw new ArrayScanError(`the file is not a JSON array of line items${this.at(i)}`);
          this.state = State.FirstElementOrClose;
          this.seenAny = true;
          i++;
          continue;
        case State.FirstElementOrClose:
          if (c === OPEN_BRACE && this.objectReader && this.readObject(bytes, i, out)) {
            i = this.readEnd;
            continue;
          }
          if (c === CLOSE_BRACKET) {
            throw new ArrayScanError('the file holds no line items (an empty array)');
          }
          if (c === COMMA) {
            throw new ArrayScanError(
              `the file is not valid JSON: a line item is missing before the first ","${this.at(i)}`,
            );
          }
          this.startElement(bytes, i);
          continue;
        case State.Element:
          if (c === OPEN_BRACE && this.objectReader && this.readObject(bytes, i, out)) {
            i = this.readEnd;
            continue;
          }
          if (c === CLOSE_BRACKET || c === COMMA) {
            throw new ArrayScanError(
              `the file is not valid JSON: a line item is missing after line ${this.line}${this.at(i)}`,
            );
          }
          this.startElement(bytes, i);
          continue;
        case State.AfterElement:
          if (c === COMMA) this.state = State.Element;
          else if (c === CLOSE_BRACKET) this.state = State.Done;
          else
            throw new ArrayScanError(
              `the file is not valid JSON: "," or "]" expected after line ${this.line}${this.at(i)}`,
            );
          i++;
          continue;
        case State.Done:
          throw new ArrayScanError(`the file has content after the end of its array${this.at(i)}`);
      }
    }
    if (this.state === State.InElement) this.carryElement(bytes);
    this.offset += n;
    return out;
  }

  /** Checks that the array was closed. Throws ArrayScanError otherwise. */
  end(): void {
    if (this.state === State.Done) return;
    if (!this.seenAny && this.offset === 0) throw new ArrayScanError('the file is empty');
    if (this.state === State.BeforeArray) throw new ArrayScanError('the file is not a JSON array of line items');
    const where = this.state === State.InElement ? ` inside line ${this.line}` : ` after line ${this.line}`;
    throw new ArrayScanError(`the file is not valid JSON: it ends before its array is closed (${where.trim()})`);
  }

  /** Elements completed so far. */
  get lines(): number {
    return this.line;
  }

  /** Offers the element at bytes[i] to the object reader; true when it took it (it ends at `readEnd`). */
  private readObject(bytes: Uint8Array, i: number, out: ScannedElement[]): boolean {
    const end = (this.objectReader as ObjectReader)(bytes, i, out);
    if (end < 0) return false;
    this.line++;
    this.state = State.AfterElement;
    this.readEnd = end;
    return true;
  }

  private at(i: number): string {
    return ` (at byte ${this.offset + i})`;
  }

  private startElement(bytes: Uint8Array, i: number): void {
    const c = bytes[i] as number;
    this.line++;
    this.state = State.InElement;
    this.offered = false;
    this.elementStart = i;
    this.elementBytes = 0;
    this.skipping = false;
    this.fault = undefined;
    this.excerpt = undefined;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.expectKey = false;
    this.keyStart = -1;
    this.key = undefined;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) this.kind = c === OPEN_BRACE ? Kind.Object : Kind.Array;
    else if (c === QUOTE) this.kind = Kind.String;
    else this.kind = Kind.Literal;
  }

  /** Where scanning resumes in a buffer that starts with the carried element: after the carried bytes. */
  private resumeAt(bytes: Uint8Array, chunk: Uint8Array): number {
    return bytes.length - chunk.length;
  }

  /** Keeps the unfinished element for the next push (or only its size, when it is skipped). */
  private carryElement(bytes: Uint8Array): void {
    if (this.skipping) {
      this.elementBytes += bytes.length - this.elementStart;
      this.elementStart = 0;
      return;
    }
    const kept = bytes.length - this.elementStart;
    if (kept > this.limits.maxElementBytes) {
      this.skip(bytes, { kind: 'size', key: this.currentKey(bytes), bytes: 0 });
      this.elementBytes += bytes.length - this.elementStart;
      this.elementStart = 0;
      return;
    }
    this.carry = bytes.slice(this.elementStart);
    if (this.keyStart >= 0) this.keyStart -= this.elementStart;
    if (this.keyEnd >= 0) this.keyEnd -= this.elementStart;
    this.elementStart = 0;
  }

  /** Stops keeping the element's bytes: it is rejected without being parsed. */
  private skip(bytes: Uint8Array, fault: ElementFault): void {
    if (this.skipping) return;
    this.skipping = true;
    this.fault = fault;
    const from = this.elementStart;
    this.excerpt = lenient.decode(bytes.subarray(from, Math.min(bytes.length, from + EXCERPT_BYTES)));
  }

  private currentKey(bytes: Uint8Array): string | undefined {
    if (this.key !== undefined) return this.key;
    if (this.keyStart < 0 || this.keyEnd < 0) return undefined;
    try {
      this.key = JSON.parse(lenient.decode(bytes.subarray(this.keyStart, this.keyEnd))) as string;
    } catch {
      this.key = undefined;
    }
    return this.key;
  }

  private finishElement(bytes: Uint8Array, end: number, out: ScannedElement[]): void {
    if (this.skipping) {
      const fault = this.fault as ElementFault;
      const total = this.elementBytes + end - this.elementStart;
      out.push({
        start: end,
        end,
        line: this.line,
        fault: fault.kind === 'size' ? { ...fault, bytes: total } : fault,
        excerpt: this.excerpt as string,
      });
    } else if (end - this.elementStart + this.elementBytes > this.limits.maxElementBytes) {
      this.skip(bytes, { kind: 'size', key: this.currentKey(bytes), bytes: 0 });
      out.push({
        start: end,
        end,
        line: this.line,
        fault: { kind: 'size', key: this.key, bytes: end - this.elementStart + this.elementBytes },
        excerpt: this.excerpt as string,
      });
    } else {
      out.push({ start: this.elementStart, end, line: this.line });
    }
    this.state = State.AfterElement;
  }

  /** Scans inside the current element from `i`; returns where it stopped (the buffer's end or past the element). */
  private scanElement(bytes: Uint8Array, i: number, out: ScannedElement[]): number {
    const n = bytes.length;
    if (this.kind === Kind.Literal) {
      // A bare number, true, false or null: it ends at a delimiter; JSON.parse judges it.
      while (i < n) {
        const c = bytes[i] as number;
        if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) {
          this.finishElement(bytes, i, out);
          return i;
        }
        if (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACE) {
          throw new ArrayScanError(`the file is not valid JSON in line ${this.line}${this.at(i)}`);
        }
        i++;
      }
      return i;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escape;
    if (this.kind === Kind.String && depth === 0 && !inString && i === this.elementStart) {
      inString = true;
      i++;
      depth = -1; // a top-level string: it ends with its closing quote
    }
    while (i < n) {
      if (inString) {
        // The hot loop: most bytes of a line item are inside strings (its keys and text values).
        if (escaped) {
          escaped = false;
          i++;
        }
        while (i < n) {
          const c = bytes[i] as number;
          if (STRING_STOP[c] === 0) {
            i++;
            continue;
          }
          if (c === QUOTE) break;
          if (c === BACKSLASH) {
            if (i + 1 >= n) {
              escaped = true;
              i = n;
              break;
            }
            i += 2;
            continue;
          }
          i++;
        }
        if (i >= n) break;
        inString = false;
        if (this.keyStart >= 0 && this.keyEnd === -2) this.keyEnd = i + 1;
        // Past the size limit at the end of a string: the field whose value (or name) it is grew the line too long.
        if (!this.skipping && i - this.elementStart + this.elementBytes > this.limits.maxElementBytes) {
          this.skip(bytes, { kind: 'size', key: this.currentKey(bytes), bytes: 0 });
        }
        i++;
        if (depth === -1) {
          this.depth = 0;
          this.inString = false;
          this.escape = false;
          this.finishElement(bytes, i, out);
          return i;
        }
        continue;
      }
      const c = bytes[i] as number;
      if (STRUCTURAL[c] === 0) {
        i++;
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && this.expectKey && this.stack[0] === Kind.Object) {
          this.expectKey = false;
          this.keyStart = i;
          this.keyEnd = -2; // set when the string closes
          this.key = undefined;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth >= MAX_SCAN_DEPTH) {
          throw new ArrayScanError(`line ${this.line} is nested more than ${MAX_SCAN_DEPTH} levels deep${this.at(i)}`);
        }
        if (depth >= this.stack.length) {
          const grown = new Uint8Array(this.stack.length * 2);
          grown.set(this.stack);
          this.stack = grown;
        }
        this.stack[depth] = c === OPEN_BRACE ? Kind.Object : Kind.Array;
        depth++;
        if (depth === 1) this.expectKey = c === OPEN_BRACE;
        if (depth > this.limits.maxDepth && !this.skipping) {
          this.skip(bytes, { kind: 'depth', key: this.stack[0] === Kind.Object ? this.currentKey(bytes) : undefined });
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const want = c === CLOSE_BRACE ? Kind.Object : Kind.Array;
        if (depth === 0 || this.stack[depth - 1] !== want) {
          throw new ArrayScanError(
            `the file is not valid JSON: a "${String.fromCharCode(c)}" that closes nothing open in line ${this.line}${this.at(i)}`,
          );
        }
        depth--;
        if (depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.escape = false;
          this.finishElement(bytes, i + 1, out);
          return i + 1;
        }
      } else if (c === COMMA && depth === 1) {
        this.expectKey = this.stack[0] === Kind.Object;
      }
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escaped;
    if (!this.skipping && this.elementBytes + (n - this.elementStart) > this.limits.maxElementBytes) {
      this.skip(bytes, { kind: 'size', key: this.currentKey(bytes), bytes: 0 });
    }
    return n;
  }
}
