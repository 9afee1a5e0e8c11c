import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayScanError, JsonArrayScanner, type ScannedElement } from '../src/json-array-scanner';

const limits = { maxDepth: 1_000, maxElementBytes: 1 << 24 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The elements of `bytes` as the scanner splits them, fed in chunks cut at `cuts`, each parsed by JSON.parse. */
function scan(
  bytes: Uint8Array,
  cuts: number[],
  scannerLimits = limits,
): { values: unknown[]; faults: ScannedElement[] } {
  const scanner = new JsonArrayScanner(scannerLimits);
  const values: unknown[] = [];
  const faults: ScannedElement[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    if (cut < at) continue;
    for (const e of scanner.push(bytes.subarray(at, cut))) {
      if (e.fault) faults.push(e);
      else values.push(JSON.parse(decoder.decode(scanner.lastBytes.subarray(e.start, e.end))));
    }
    at = cut;
  }
  scanner.end();
  return { values, faults };
}

describe('JsonArrayScanner, against JSON.parse', () => {
  it('splits any JSON array into the elements JSON.parse finds, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(4_000), { maxLength: 12 }),
        (array, pretty, cuts) => {
          const bytes = encoder.encode(JSON.stringify(array, null, pretty ? 2 : undefined));
          const { values, faults } = scan(bytes, cuts);
          expect(faults).toEqual([]);
          expect(values).toEqual(JSON.parse(decoder.decode(bytes)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts a text exactly when JSON.parse takes it as a non-empty array (elements judged by JSON.parse)', () => {
    const pieces = fc.constantFrom('[', ']', '{', '}', ',', ':', '"a"', '"\\\\"', '"\\""', '1', 'true', ' ', '\n', 'x');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 14 }), fc.array(fc.nat(30), { maxLength: 4 }), (parts, cuts) => {
        const text = parts.join('');
        let reference: unknown;
        try {
          reference = JSON.parse(text);
        } catch {
          reference = undefined;
        }
        let ours: unknown[] | undefined;
        try {
          ours = scan(encoder.encode(text), cuts).values;
        } catch (error) {
          // The scanner refuses the file, or JSON.parse refuses one element it delimited.
          expect(error instanceof ArrayScanError || error instanceof SyntaxError).toBe(true);
          ours = undefined;
        }
        if (Array.isArray(reference) && reference.length > 0) expect(ours).toEqual(reference);
        if (ours !== undefined) expect(ours).toEqual(reference);
      }),
      { numRuns: 2_000 },
    );
  });

  it('faults an element nested deeper than its limit without parsing it, names the field, and goes on', () => {
    const deep = `{"item_name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const text = `[{"a":1},${deep},{"b":2}]`;
    const { values, faults } = scan(encoder.encode(text), [17, 5_000], { maxDepth: 8, maxElementBytes: 1 << 20 });
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(faults).toMatchObject([{ line: 2, fault: { kind: 'depth', key: 'item_name' } }]);
  });

  it('faults an element over its size limit, keeps only an excerpt, and names the field it grew in', () => {
    const big = `{"item_sku":"A","item_name":"${'x'.repeat(300_000)}"}`;
    const { values, faults } = scan(encoder.encode(`[${big},{"ok":true}]`), [1_000, 100_000, 200_000], {
      maxDepth: 8,
      maxElementBytes: 65_536,
    });
    expect(values).toEqual([{ ok: true }]);
    expect(faults).toMatchObject([{ line: 1, fault: { kind: 'size', key: 'item_name', bytes: big.length } }]);
    expect(faults[0]?.excerpt?.startsWith('{"item_sku":"A"')).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['{"a":1}', /not a JSON array/],
    ['[]', /no line items/],
    ['[{"a":1}', /ends before its array is closed/],
    ['[{"a":1}}]', /"," or "]" expected after line 1/],
    ['[[1}]', /closes nothing open in line 1/],
    ['[{"a":1}] x', /content after the end/],
    ['[{"a":1} {"b":2}]', /"," or "]" expected after line 1/],
    ['[{"a":1},]', /missing after line 1/],
  ])('rejects %j as a whole, saying why', (text, reason) => {
    expect(() => scan(encoder.encode(text), [])).toThrow(reason);
  });

  it('skips a UTF-8 byte order mark and refuses UTF-16', () => {
    expect(scan(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('[1]')]), []).values).toEqual([1]);
    expect(() => scan(new Uint8Array([0xff, 0xfe, 0x5b, 0x00]), [])).toThrow(/UTF-16/);
  });
});
