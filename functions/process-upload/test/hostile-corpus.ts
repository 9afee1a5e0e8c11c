/**
 * A generated corpus of hostile store files (issue 9, part 1): every field broken every way its rules allow,
 * encodings, sizes, names, structure, and lines with several faults at once. Each file says what its rejection report
 * must show: the line and field of the fault, or why the whole file is rejected.
 */

/** What the rejection report of a corpus file must say. */
export type Expectation =
  | { kind: 'line'; line: number; field: string; rule: string; accepted: number }
  | { kind: 'whole'; reason: RegExp }
  | { kind: 'unattributed'; reason: RegExp };

export interface HostileFile {
  name: string;
  key: string;
  body: Uint8Array;
  expect: Expectation;
}

const DATE = '2025-10-29';
const encoder = new TextEncoder();

/** A valid line item; `tx` sets its transaction. */
export function goodLine(tx: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transaction_id: tx,
    transaction_timestamp: `${DATE}T10:00:00-04:00`,
    item_sku: 'SKU-1',
    item_name: 'Mushroom Mug',
    quantity: 2,
    unit_price: 4.5,
    line_total: 9,
    discount_amount: 0.5,
    payment_method: 'debit',
    customer_id: 'CUST-1',
    ...extra,
  };
}

const STRING_FIELDS = ['transaction_id', 'item_sku', 'item_name', 'customer_id'] as const;
const NUMBER_FIELDS = ['quantity', 'unit_price', 'line_total', 'discount_amount'] as const;
const ALL_FIELDS = [...STRING_FIELDS, 'transaction_timestamp', ...NUMBER_FIELDS, 'payment_method'] as const;
const WRONG_TYPES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['an array', [1]],
  ['an object', { a: 1 }],
];

/** Every corpus file. Store ids count up from 1000, one store-day per file, so that no two reports collide. */
export function hostileCorpus(): HostileFile[] {
  const files: HostileFile[] = [];
  let store = 1000;
  const keyOf = () => `uploads/store_${String(store++).padStart(4, '0')}_${DATE}.json`;
  /** A file whose line 2 is `line` (text), between two good lines. */
  const lineFile = (name: string, line: string, field: string, rule: string) =>
    files.push({
      name,
      key: keyOf(),
      body: encoder.encode(`[${JSON.stringify(goodLine('T1'))},\n${line},\n${JSON.stringify(goodLine('T3'))}]`),
      expect: { kind: 'line', line: 2, field, rule, accepted: 2 },
    });
  const broken = (name: string, change: Record<string, unknown>, field: string, rule: string) =>
    lineFile(name, JSON.stringify(goodLine('T2', change)), field, rule);

  for (const field of ALL_FIELDS) {
    const { [field]: _drop, ...missing } = goodLine('T2');
    lineFile(`${field} missing`, JSON.stringify(missing), field, 'required');
    // payment_method is an enum: a value of any other type breaks the enum.
    const typeRule = field === 'payment_method' ? 'enum' : 'type';
    for (const [label, value] of WRONG_TYPES) broken(`${field} is ${label}`, { [field]: value }, field, typeRule);
    lineFile(
      `${field} nested 10,000 deep`,
      JSON.stringify(goodLine('T2')).replace(
        `"${field}":`,
        `"${field}":${'['.repeat(10_000)}${']'.repeat(10_000)},"x":`,
      ),
      field,
      'nesting',
    );
    lineFile(
      `${field} nested 9 deep`,
      JSON.stringify({ ...goodLine('T2'), [field]: JSON.parse(`${'['.repeat(9)}${']'.repeat(9)}`) }),
      field,
      'nesting',
    );
    broken(`${field} 100 KB long`, { [field]: 'x'.repeat(100_000) }, field, 'line_size');
  }
  for (const field of STRING_FIELDS) {
    broken(`${field} is a number`, { [field]: 42 }, field, 'type');
    broken(`${field} empty`, { [field]: '' }, field, 'min_length');
    broken(`${field} over its length`, { [field]: 'y'.repeat(300) }, field, 'max_length');
    broken(`${field} lone high surrogate`, { [field]: 'a\ud800b' }, field, 'unicode');
    broken(`${field} lone low surrogate`, { [field]: '\udc00' }, field, 'unicode');
    broken(`${field} reversed pair`, { [field]: '\udc00\ud800' }, field, 'unicode');
  }
  for (const field of NUMBER_FIELDS) {
    broken(`${field} is a string`, { [field]: '2' }, field, 'type');
    broken(`${field} negative`, { [field]: -1 }, field, 'minimum');
    broken(`${field} 1e17`, { [field]: 1e17 }, field, 'maximum');
    broken(`${field} 2^31`, { [field]: 2 ** 31 }, field, 'maximum');
    broken(`${field} 1e308`, { [field]: 1e308 }, field, 'maximum');
  }
  broken('quantity 0', { quantity: 0 }, 'quantity', 'minimum');
  broken('quantity fractional', { quantity: 1.5 }, 'quantity', 'type');
  broken('quantity 2^53', { quantity: 2 ** 53 }, 'quantity', 'maximum');
  for (const field of ['unit_price', 'line_total', 'discount_amount'] as const) {
    broken(`${field} three decimals`, { [field]: 1.005 }, field, 'two_decimals');
    broken(`${field} 1e-7`, { [field]: 1e-7 }, field, 'two_decimals');
  }
  broken('line_total not unit × quantity', { line_total: 9.5 }, 'line_total', 'line_total');
  broken('discount above line_total', { discount_amount: 9.01 }, 'discount_amount', 'discount');
  for (const method of ['cheque', 'CASH', '', 'cash ', 'iou', 'credit\u0000']) {
    broken(`payment_method ${JSON.stringify(method)}`, { payment_method: method }, 'payment_method', 'enum');
  }
  const timestamps: [string, string][] = [
    ['yesterday', 'timestamp'],
    ['2025-10-29T10:00:00', 'timestamp'],
    ['2025-10-29 10:00:00Z', 'timestamp'],
    ['2025-10-29T25:00:00Z', 'timestamp'],
    ['2025-10-29T10:61:00Z', 'timestamp'],
    ['2025-02-30T10:00:00Z', 'timestamp'],
    ['2025-10-29T10:00:00+15:00', 'timestamp'],
    ['2025-10-29T10:00:00+05', 'timestamp'],
    ['2025-10-30T10:00:00Z', 'timestamp_date'],
    ['2025-10-28T23:59:59Z', 'timestamp_date'],
  ];
  for (const [value, rule] of timestamps) {
    broken(`timestamp ${value}`, { transaction_timestamp: value }, 'transaction_timestamp', rule);
  }
  for (const name of [
    '',
    'unit/price',
    '~discount',
    '~0',
    '~1',
    '__proto__',
    'constructor',
    'Quantity',
    ' quantity',
    '\ud800',
  ]) {
    lineFile(
      `unknown field ${JSON.stringify(name)}`,
      JSON.stringify(goodLine('T2')).replace(/}$/, `,${JSON.stringify(name)}:1}`),
      name.isWellFormed() ? name : name.toWellFormed(),
      'unknown_field',
    );
  }
  lineFile('a line that is a string', '"hello"', '(record)', 'not_object');
  lineFile('a line that is a number', '42', '(record)', 'not_object');
  lineFile('a line that is null', 'null', '(record)', 'not_object');
  lineFile('a line that is an array', '[1,2]', '(record)', 'not_object');
  lineFile('a line that is an empty object', '{}', 'transaction_id', 'required');
  lineFile('a line that is not JSON', '{"transaction_id": tru}', '(record)', 'not_json');
  lineFile('a line with a trailing comma', '{"transaction_id":"T2",}', '(record)', 'not_json');
  lineFile('a line with single quotes', "{'transaction_id':'T2'}", '(record)', 'not_json');
  lineFile('a line nested 10,000 arrays deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, '(record)', 'nesting');
  lineFile(
    'a line of 100,000 unknown fields',
    `{${Array.from({ length: 5_000 }, (_, i) => `"f${i}":0`).join(',')}}`,
    'transaction_id',
    'required',
  );
  broken('a 10 MB item_name', { item_name: 'z'.repeat(10_000_000) }, 'item_name', 'line_size');
  // Mixed faults: every reason is reported, the first is checked here by field.
  broken(
    'schema fault and timestamp without offset',
    { quantity: 'two', transaction_timestamp: '2025-10-29T10:00:00' },
    'quantity',
    'type',
  );
  broken(
    'schema fault and timestamp (second reason)',
    { quantity: 'two', transaction_timestamp: '2025-10-29T10:00:00' },
    'transaction_timestamp',
    'timestamp',
  );
  broken('two decimals and discount', { unit_price: 4.505, discount_amount: 99 }, 'unit_price', 'two_decimals');
  broken('surrogate and unknown field', { item_name: '\ud800', extra: 1 }, 'extra', 'unknown_field');
  // Every pair of fields: one of the wrong type, the other missing; the report names both.
  for (const a of ALL_FIELDS) {
    for (const b of ALL_FIELDS) {
      if (a === b) continue;
      const { [b]: _gone, ...line } = goodLine('T2', { [a]: { wrong: true } });
      lineFile(`${a} wrong and ${b} missing`, JSON.stringify(line), b, 'required');
    }
  }
  // One payment method per transaction: every line of T1 goes.
  files.push({
    name: 'transaction with two payment methods',
    key: keyOf(),
    body: encoder.encode(JSON.stringify([goodLine('T1'), goodLine('T1', { payment_method: 'cash' }), goodLine('T3')])),
    expect: { kind: 'line', line: 1, field: 'payment_method', rule: 'mixed_payment', accepted: 1 },
  });
  // Encodings.
  {
    const bytes = encoder.encode(
      `[${JSON.stringify(goodLine('T1'))},${JSON.stringify(goodLine('T2', { item_name: 'Caf\u00e9' }))}]`,
    );
    bytes[bytes.lastIndexOf(0xc3)] = 0xe9; // Latin-1 é inside line 2
    files.push({
      name: 'a Latin-1 byte in line 2',
      key: keyOf(),
      body: bytes,
      expect: { kind: 'line', line: 2, field: '(record)', rule: 'not_utf8', accepted: 1 },
    });
  }
  {
    const bytes = encoder.encode(
      `[${JSON.stringify(goodLine('T1'))},${JSON.stringify(goodLine('T2', { item_name: 'ab' }))}]`,
    );
    bytes[bytes.lastIndexOf(0x61)] = 0xc0; // an overlong-encoding lead byte
    files.push({
      name: 'a stray 0xC0 in line 2',
      key: keyOf(),
      body: bytes,
      expect: { kind: 'line', line: 2, field: '(record)', rule: 'not_utf8', accepted: 1 },
    });
  }
  const whole = (name: string, body: Uint8Array | string, reason: RegExp) =>
    files.push({
      name,
      key: keyOf(),
      body: typeof body === 'string' ? encoder.encode(body) : body,
      expect: { kind: 'whole', reason },
    });
  whole('an empty file', '', /empty/);
  whole('whitespace only', '  \n ', /not a JSON array/);
  whole('an object', JSON.stringify(goodLine('T1')), /not a JSON array/);
  whole('a number', '42', /not a JSON array/);
  whole('an empty array', '[]', /no line items/);
  whole('an empty array with spaces', '[ \n ]', /no line items/);
  whole('truncated', `[${JSON.stringify(goodLine('T1'))},{"transaction_id":"T2"`, /ends before its array is closed/);
  whole('no closing bracket', `[${JSON.stringify(goodLine('T1'))}`, /ends before its array is closed/);
  whole('trailing garbage', `[${JSON.stringify(goodLine('T1'))}] trailing`, /content after the end/);
  whole('two arrays', `[${JSON.stringify(goodLine('T1'))}][]`, /content after the end/);
  whole(
    'missing comma between lines',
    `[${JSON.stringify(goodLine('T1'))} ${JSON.stringify(goodLine('T2'))}]`,
    /"," or "]" expected/,
  );
  whole('a trailing comma', `[${JSON.stringify(goodLine('T1'))},]`, /missing after line 1/);
  whole('a leading comma', `[,${JSON.stringify(goodLine('T1'))}]`, /missing before the first/);
  whole('a bracket that closes the wrong kind', `[${JSON.stringify(goodLine('T1'))},[1}]`, /closes nothing open/);
  whole('unterminated string', `[{"transaction_id":"T1]`, /ends before its array is closed/);
  whole(
    'UTF-16 LE with BOM',
    new Uint8Array([0xff, 0xfe, ...Array.from(encoder.encode('[]')).flatMap((b) => [b, 0])]),
    /UTF-16/,
  );
  whole(
    'UTF-16 BE with BOM',
    new Uint8Array([0xfe, 0xff, ...Array.from(encoder.encode('[]')).flatMap((b) => [0, b])]),
    /UTF-16/,
  );
  whole('NUL bytes', new Uint8Array([0, 0, 0, 0]), /not a JSON array/);
  whole(
    'nested 10,000 deep as the whole file',
    `${'['.repeat(10_000)}${']'.repeat(10_000)}`.slice(0, -1),
    /ends before|content after|closes/,
  );
  whole(
    'a million empty objects, every line rejected',
    `[${Array.from({ length: 1_000_000 }, () => '{}').join(',')}]`,
    /no line of the file is valid/,
  );
  whole(
    'only rejected lines',
    JSON.stringify([goodLine('T1', { quantity: 0 }), goodLine('T2', { quantity: 0 })]),
    /no line of the file is valid/,
  );
  const unattributed = (name: string, key: string) =>
    files.push({
      name,
      key,
      body: encoder.encode(JSON.stringify([goodLine('T1')])),
      expect: { kind: 'unattributed', reason: /not of the form|not a calendar date|not a store file/ },
    });
  unattributed('a date not on the calendar', 'uploads/store_0001_2025-02-30.json');
  unattributed('a three-digit store', 'uploads/store_001_2025-10-29.json');
  unattributed('no extension', 'uploads/store_0001_2025-10-29');
  unattributed('a csv', 'uploads/store_0001_2025-10-29.csv');
  unattributed('upper case', 'uploads/STORE_0001_2025-10-29.json');
  unattributed('spaces', 'uploads/store 0001 2025-10-29.json');
  unattributed('unicode name', 'uploads/store_０００１_2025-10-29.json');
  unattributed('month 13', 'uploads/store_0001_2025-13-01.json');
  return files;
}

/** The same faults at other lines of larger pretty-printed files (first, middle, last line). */
export function positionedVariants(): HostileFile[] {
  const out: HostileFile[] = [];
  let store = 5000;
  const faults: [string, Record<string, unknown>, string, string][] = [
    ['quantity', { quantity: -3 }, 'quantity', 'minimum'],
    ['surrogate', { customer_id: '\ud83d' }, 'customer_id', 'unicode'],
    ['timestamp', { transaction_timestamp: '2025-10-29T10:00:00' }, 'transaction_timestamp', 'timestamp'],
    ['unknown', { 'unit/price': 4.5 }, 'unit/price', 'unknown_field'],
    ['method', { payment_method: 'barter' }, 'payment_method', 'enum'],
  ];
  for (const [label, change, field, rule] of faults) {
    for (const [at, total] of [
      [1, 1_000],
      [500, 1_000],
      [1_000, 1_000],
      [5_000, 5_000],
    ] as const) {
      if (at === 1 && total === 1_000 && label === 'method') continue;
      const lines = Array.from({ length: total }, (_, i) =>
        JSON.stringify(goodLine(`T${i}`, i + 1 === at ? change : {}), null, 2),
      );
      out.push({
        name: `${label} at line ${at} of ${total}`,
        key: `uploads/store_${String(store++).padStart(4, '0')}_${DATE}.json`,
        body: encoder.encode(`[\n${lines.join(',\n')}\n]`),
        expect: { kind: 'line', line: at, field, rule, accepted: total - 1 },
      });
    }
  }
  return out;
}
