import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateStoreDay, STORES, serializeStoreFile } from '../../../scripts/sample-data';
import { STORE_FILE_LIMITS } from '../src/store-file';
import { comparable, type ReadOutcome, readStoreFile } from './read-both-ways';

const storeDay = { storeId: '0001', date: '2025-10-29' };
const encoder = new TextEncoder();

/** Reads `text` both ways (the fast one also in pieces at `cuts`) and expects the same outcome; returns the fast one. */
function same(text: string | Uint8Array, cuts: readonly number[] = [], day = storeDay): ReadOutcome {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  const general = readStoreFile(bytes, day, false);
  const fast = readStoreFile(bytes, day, true, cuts);
  expect(general.fastLines).toBe(0);
  expect(comparable(fast)).toStrictEqual(comparable(general));
  return fast;
}

const good = {
  transaction_id: 'T1',
  transaction_timestamp: '2025-10-29T09:00:17Z',
  item_sku: 'SKU-1',
  item_name: 'Keychain',
  quantity: 2,
  unit_price: 7.69,
  line_total: 15.38,
  discount_amount: 1.16,
  payment_method: 'cash',
  customer_id: 'CUST-1',
};
type Field = keyof typeof good;

/** A file of one line item written field by field: `[key text, value text]` as they appear in the JSON. */
function lineOf(fields: [string, string][], space = ' '): string {
  return `{${fields.map(([k, v]) => `${space}${k}${space}:${space}${v}`).join(`,${space}`)}${space}}`;
}
function fieldsOf(change: Partial<Record<Field, string>> = {}): [string, string][] {
  return (Object.keys(good) as Field[]).map((k) => [JSON.stringify(k), change[k] ?? JSON.stringify(good[k])]);
}
/** A file of a good line, the line under test, and another good line. */
const around = (line: string) =>
  `[${JSON.stringify(good)},\n${line},\n${JSON.stringify({ ...good, transaction_id: 'T3' })}]`;

describe('StoreLineParser against the general path (differential)', () => {
  it('reads every line of generated store exports itself, with the same rows and figures', () => {
    for (const store of STORES.slice(0, 4)) {
      for (const date of ['2025-10-01', '2025-10-29']) {
        const text = serializeStoreFile(generateStoreDay(store, date, 42));
        const day = { storeId: store.id, date };
        const whole = same(text, [], day);
        expect(whole.rows.length).toBeGreaterThan(100);
        expect(whole.fastLines).toBe(whole.lines);
        // In pieces: a line cut by the end of a piece is read whole, the fast way, when the next piece arrives.
        expect(same(text, [1000, 4096, 65_536], day).fastLines).toBe(whole.lines);
        // Pieces of 400 bytes cut each line (some 280 bytes) at most once: all fast. In pieces of 101 bytes every line
        // is spread over three pieces or more and is scanned, the general way (the reader is not offered it again).
        const pieces = (size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => i * size);
        expect(same(text, pieces(400), day).fastLines).toBe(whole.lines);
        expect(same(text, pieces(101), day).fastLines).toBe(0);
      }
    }
  });

  it('takes lines in any key order and any JSON whitespace, and leaves the rest to the general path', () => {
    const reversed = lineOf(fieldsOf().reverse(), '\r\n\t ');
    expect(same(around(reversed)).fastLines).toBe(3);
    expect(same(around(lineOf(fieldsOf(), ''))).fastLines).toBe(3);
  });

  // Each value text of the line under test: how the general path judges it decides; the fast path must agree.
  const values: [Field, string][] = [
    ['transaction_id', '"T\\u0031"'],
    ['transaction_id', '"T\\/1"'],
    ['transaction_id', '""'],
    ['transaction_id', `"${'x'.repeat(64)}"`],
    ['transaction_id', `"${'x'.repeat(65)}"`],
    ['transaction_id', `"${'é'.repeat(64)}"`],
    ['transaction_id', `"${'é'.repeat(65)}"`],
    ['transaction_id', `"${'🍄'.repeat(32)}"`],
    ['transaction_id', `"${'🍄'.repeat(33)}"`],
    ['transaction_id', '"\ufeffT1"'],
    ['transaction_id', '"T\u00001"'],
    ['transaction_id', '"T\t1"'],
    ['transaction_id', '"T\u007f1"'],
    ['transaction_id', '"\\ud800"'],
    ['transaction_id', 'null'],
    ['transaction_id', '7'],
    ['item_name', `"${'n'.repeat(256)}"`],
    ['item_name', `"${'n'.repeat(257)}"`],
    ['item_name', `"${'ü'.repeat(200)}"`],
    ['item_name', '"Caf\u00e9 \u2028 Mug"'],
    ['item_name', '["Mug"]'],
    ['item_name', '{"a":1}'],
    ['quantity', '1'],
    ['quantity', '100000'],
    ['quantity', '100001'],
    ['quantity', '0'],
    ['quantity', '-1'],
    ['quantity', '2.0'],
    ['quantity', '2e0'],
    ['quantity', '02'],
    ['quantity', '"2"'],
    ['quantity', '2147483648'],
    ['unit_price', '7.690'],
    ['unit_price', '7.6900000001'],
    ['unit_price', '7.691'],
    ['unit_price', '769e-2'],
    ['unit_price', '7.69E0'],
    ['unit_price', '07.69'],
    ['unit_price', '7.'],
    ['unit_price', '.69'],
    ['unit_price', '-0'],
    ['unit_price', '-7.69'],
    ['unit_price', '1000000'],
    ['unit_price', '1000000.01'],
    ['unit_price', '1e17'],
    ['unit_price', '7.69x'],
    ['line_total', '15.37'],
    ['line_total', '15.39'],
    ['line_total', '15.40'],
    ['line_total', '10000000.00'],
    ['line_total', '10000000.01'],
    ['discount_amount', '0'],
    ['discount_amount', '0.0'],
    ['discount_amount', '15.38'],
    ['discount_amount', '15.39'],
    ['discount_amount', '1e-7'],
    ['payment_method', '"cash"'],
    ['payment_method', '"gift_card"'],
    ['payment_method', '"CASH"'],
    ['payment_method', '"cas"'],
    ['payment_method', '"cashy"'],
    ['payment_method', '"c\\u0061sh"'],
    ['payment_method', 'true'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+02:00"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17-00:00"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+14:00"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+14:59"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+15:00"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+05:60"'],
    ['transaction_timestamp', '"2025-10-29T23:59:59Z"'],
    ['transaction_timestamp', '"2025-10-29T24:00:00Z"'],
    ['transaction_timestamp', '"2025-10-29T09:60:00Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:60Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17.5Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17.123456789+01:00"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17.1234567890Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17.Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17z"'],
    ['transaction_timestamp', '"2025-10-29t09:00:17Z"'],
    ['transaction_timestamp', '"2025-10-29 09:00:17Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17+0200"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17"'],
    ['transaction_timestamp', '"2025-10-29T9:00:17Z"'],
    ['transaction_timestamp', '"2025-10-30T01:00:00+02:00"'],
    ['transaction_timestamp', '"2025-10-28T23:00:00Z"'],
    ['transaction_timestamp', '"2025-10-29T09:00:17Z "'],
    ['transaction_timestamp', '"2025-10-29T09:00:1\\u0037Z"'],
    ['transaction_timestamp', '"２０２５-10-29T09:00:17Z"'],
  ];
  it.each(values)('%s written %s', (field, text) => {
    same(around(lineOf(fieldsOf({ [field]: text }))));
  });

  it.each([
    ['a repeated field, same value', `${JSON.stringify(good).slice(0, -1)},"quantity":2}`],
    ['a repeated field, other value', `${JSON.stringify(good).slice(0, -1)},"quantity":3}`],
    ['an unknown field', `${JSON.stringify(good).slice(0, -1)},"extra":1}`],
    ['a missing field', JSON.stringify({ ...good, customer_id: undefined })],
    ['an escaped key', JSON.stringify(good).replace('"quantity"', '"quantit\\u0079"')],
    ['a key of another case', JSON.stringify(good).replace('"quantity"', '"Quantity"')],
    ['a key cut short', JSON.stringify(good).replace('"quantity"', '"quantit"')],
    ['a key one longer', JSON.stringify(good).replace('"quantity"', '"quantityy"')],
    ['a trailing comma', `${JSON.stringify(good).slice(0, -1)},}`],
    ['no colon', JSON.stringify(good).replace('"quantity":', '"quantity" ')],
    ['a missing comma', JSON.stringify(good).replace(',"quantity"', ' "quantity"')],
    ['an empty object', '{}'],
    ['a form feed as whitespace', JSON.stringify(good).replace(',"quantity"', ',\f"quantity"')],
    ['a non-breaking space as whitespace', JSON.stringify(good).replace(',"quantity"', ',\u00a0"quantity"')],
    ['nesting in a field', JSON.stringify({ ...good, item_name: [[[[[[[[[['x']]]]]]]]]] })],
  ])('%s', (_label, line) => {
    same(around(line));
  });

  it('agrees at the line size bound (padding whitespace up to it and past it)', () => {
    const base = JSON.stringify(good);
    for (const extra of [-2, -1, 0, 1, 2]) {
      const pad = STORE_FILE_LIMITS.maxLineBytes - base.length + extra;
      const line = `${base.slice(0, -1)}${' '.repeat(pad)}}`;
      same(around(line));
      same(around(line), [5, 300, 40_000]);
    }
  });

  it('tells apart values of consecutive lines that are prefixes of one another', () => {
    const ids = ['T1', 'T12', 'T1', 'T', 'T12', 'T123456789', 'T12345678', 'T12345678'];
    const lines = ids.map((id, i) => ({
      ...good,
      transaction_id: id,
      customer_id: id.replace('T', 'C'),
      item_sku: `SKU-${ids[ids.length - 1 - i]}`,
      transaction_timestamp: `2025-10-29T09:00:1${i % 3}${i % 2 ? 'Z' : '+01:00'}`,
    }));
    const fast = same(JSON.stringify(lines, null, 2));
    expect(fast.fastLines).toBe(ids.length);
    expect(fast.rows.map((r) => [r.transaction_id, r.customer_id])).toEqual(
      ids.map((id) => [id, id.replace('T', 'C')]),
    );
  });

  it('agrees on the second pass of a transaction mixing payment methods', () => {
    const lines = [good, { ...good, payment_method: 'debit' }, { ...good, transaction_id: 'T2' }, good];
    const fast = same(JSON.stringify(lines, null, 2));
    expect(fast.passes).toBe(2);
    expect(fast.rows.map((r) => r.transaction_id)).toEqual(['T2']);
  });

  it('agrees on a Latin-1 byte, a stray continuation byte and an encoded surrogate inside a string', () => {
    for (const bad of [[0xe9], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]]) {
      const text = around(JSON.stringify({ ...good, item_name: 'Caf@' }));
      const bytes = encoder.encode(text);
      const at = bytes.indexOf(0x40);
      same(new Uint8Array([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at + 1)]));
    }
  });
});

// Generated files: mostly lines as stores write them, some with one of many faults, in random layouts and pieces.
const DATE = storeDay.date;
const ascii = fc.string({ unit: fc.constantFrom(...'ABCXYZ-_0189 '.split('')), minLength: 0, maxLength: 70 });
const anyText = fc.oneof(
  ascii,
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('SKU-1', 'SKU-2', 'Caf\u00e9', '🍄 Mug', 'T1', 'T2', 'CUST-1', '\ufeffX', 'a\u2028b'),
  fc.integer({ min: 60, max: 260 }).map((n) => 'k'.repeat(n)),
);
const twoDigits = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const timestamp = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(twoDigits(0, 23), twoDigits(0, 59), twoDigits(0, 59))
      .map(([h, m, s]) => `${DATE}T${h}:${m}:${s}Z`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(DATE, '2025-10-28', '2025-10-30', '2025-02-30'),
        twoDigits(0, 25),
        twoDigits(0, 61),
        twoDigits(0, 61),
        fc.constantFrom('', '.5', '.123', '.123456789', '.1234567890', '.'),
        fc.constantFrom('Z', 'z', '', '+02:00', '-05:30', '-00:00', '+14:00', '+15:00', '+05:60', '+0200', '+05'),
      )
      .map(([d, h, m, s, f, z]) => `${d}T${h}:${m}:${s}${f}${z}`),
  },
  { weight: 1, arbitrary: anyText },
);
const lineItem = fc
  .record({
    tx: fc.integer({ min: 1, max: 6 }),
    sku: fc.integer({ min: 1, max: 4 }),
    hour: fc.integer({ min: 0, max: 23 }),
    quantity: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }) }, fc.integer({ min: 1, max: 100_000 })),
    unitCents: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 5000 }) },
      fc.integer({ min: 0, max: 100_000_001 }),
    ),
    discountCents: fc.integer({ min: 0, max: 300 }),
    // Mostly one payment method per transaction; sometimes another one (the transaction then mixes methods).
    method: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, fc.constantFrom('cash', 'credit', 'mobile')),
    faults: fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      {
        weight: 2,
        arbitrary: fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('text' as const),
              field: fc.constantFrom('transaction_id', 'item_sku', 'item_name', 'customer_id'),
              value: anyText,
            }),
            fc.record({ kind: fc.constant('timestamp' as const), value: timestamp }),
            fc.record({
              kind: fc.constant('json' as const),
              field: fc.constantFrom(...(Object.keys(good) as Field[])),
              value: fc.jsonValue({ maxDepth: 2 }),
            }),
            fc.record({
              kind: fc.constant('number' as const),
              field: fc.constantFrom('quantity', 'unit_price', 'line_total', 'discount_amount'),
              cents: fc.integer({ min: -5, max: 2_000_000_000 }),
              form: fc.nat(5),
            }),
            fc.record({ kind: fc.constant('total' as const), delta: fc.integer({ min: -3, max: 3 }) }),
            fc.record({
              kind: fc.constant('method' as const),
              value: fc.constantFrom('CASH', 'cheque', '', 'cash ', 'debit\u0000'),
            }),
            fc.record({
              kind: fc.constant('drop' as const),
              field: fc.constantFrom(...(Object.keys(good) as Field[])),
            }),
            fc.record({
              kind: fc.constant('repeat' as const),
              field: fc.constantFrom(...(Object.keys(good) as Field[])),
            }),
            fc.record({
              kind: fc.constant('unknown' as const),
              name: fc.constantFrom('extra', '', 'Quantity', '__proto__', 'quantity '),
            }),
            fc.record({
              kind: fc.constant('escape' as const),
              field: fc.constantFrom(...(Object.keys(good) as Field[])),
            }),
          ),
          { minLength: 1, maxLength: 2 },
        ),
      },
    ),
    order: fc.constantFrom('schema', 'reversed', 'shuffled'),
    seed: fc.nat(),
  })
  .map((l) => {
    const unitCents = l.unitCents;
    const totalCents = unitCents * l.quantity;
    const fields: [string, string][] = [
      ['transaction_id', JSON.stringify(`T${l.tx}`)],
      ['transaction_timestamp', JSON.stringify(`${DATE}T${String(l.hour).padStart(2, '0')}:05:00Z`)],
      ['item_sku', JSON.stringify(`SKU-${l.sku}`)],
      ['item_name', JSON.stringify(`Product ${l.sku}`)],
      ['quantity', String(l.quantity)],
      ['unit_price', String(unitCents / 100)],
      ['line_total', String(totalCents / 100)],
      ['discount_amount', String(Math.min(l.discountCents, totalCents) / 100)],
      ['payment_method', JSON.stringify(l.method ?? ['cash', 'credit', 'debit', 'gift_card', 'mobile'][l.tx % 5])],
      ['customer_id', JSON.stringify(`CUST-${l.tx}`)],
    ];
    const set = (field: string, text: string) => {
      const entry = fields.find(([k]) => k === field);
      if (entry) entry[1] = text;
    };
    for (const f of l.faults) {
      if (f.kind === 'text') set(f.field, JSON.stringify(f.value));
      else if (f.kind === 'timestamp') set('transaction_timestamp', JSON.stringify(f.value));
      else if (f.kind === 'json') set(f.field, JSON.stringify(f.value) ?? 'null');
      else if (f.kind === 'number') {
        const forms = [
          String(f.cents),
          String(f.cents / 100),
          (f.cents / 100).toFixed(3),
          `${f.cents}e-2`,
          String(f.cents / 1000),
          '1e17',
        ];
        set(f.field, forms[f.form] as string);
      } else if (f.kind === 'total') set('line_total', String((totalCents + f.delta) / 100));
      else if (f.kind === 'method') set('payment_method', JSON.stringify(f.value));
      else if (f.kind === 'drop')
        fields.splice(
          fields.findIndex(([k]) => k === f.field),
          1,
        );
      else if (f.kind === 'repeat') fields.push([f.field, fields.find(([k]) => k === f.field)?.[1] ?? '1']);
      else if (f.kind === 'unknown') fields.push([f.name, '1']);
      else if (f.kind === 'escape') {
        const entry = fields.find(([k]) => k === f.field);
        if (entry?.[1].startsWith('"') && entry[1].length > 2)
          entry[1] = `"\\u${entry[1].charCodeAt(1).toString(16).padStart(4, '0')}${entry[1].slice(2)}`;
      }
    }
    if (l.order === 'reversed') fields.reverse();
    else if (l.order === 'shuffled')
      fields.sort((a, b) => ((a[0].length * 7919 + l.seed) % 13) - ((b[0].length * 7919 + l.seed) % 13));
    return fields.map(([k, v]): [string, string] => [JSON.stringify(k), v]);
  });
const layout = fc.constantFrom('', ' ', '\n    ', '\r\n\t', '  ');
const storeFile = fc
  .record({
    lines: fc.array(
      fc.oneof(
        { weight: 9, arbitrary: lineItem },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      ),
      { minLength: 1, maxLength: 25 },
    ),
    space: layout,
    between: layout,
    flip: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { freq: 8 }),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ lines, space, between, flip, cuts }) => {
    const text = `[${between}${lines.map((l) => (typeof l === 'string' ? l : lineOf(l, space))).join(`,${between}`)}${between}]`;
    const bytes = encoder.encode(text);
    if (flip) bytes[flip[0] % bytes.length] = flip[1];
    return { bytes, cuts: cuts.map((c) => c % (bytes.length + 1)) };
  });

describe('StoreLineParser against the general path on generated files (fast-check)', () => {
  it('gives the same rows, rejected lines, reasons and figures, whatever the faults, layout and pieces', () => {
    let fastLines = 0;
    let generalLines = 0;
    let rejectedWhole = 0;
    fc.assert(
      fc.property(storeFile, ({ bytes, cuts }) => {
        const fast = same(bytes, cuts);
        fastLines += fast.fastLines;
        generalLines += fast.lines - fast.fastLines;
        if (fast.error) rejectedWhole++;
      }),
      { numRuns: 600 },
    );
    // Both paths were exercised: most lines go the fast way, many the general one, some files are rejected whole.
    expect(fastLines).toBeGreaterThan(1000);
    expect(generalLines).toBeGreaterThan(500);
    expect(rejectedWhole).toBeGreaterThan(5);
  });
});
