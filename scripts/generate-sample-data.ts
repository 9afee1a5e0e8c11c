/**
 * Writes deterministic sample store files. Usage:
 *   npx tsx scripts/generate-sample-data.ts --stores 11 --days 7 --start 2025-10-27 --seed 42 --out sample-data
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isCalendarDate } from '@tillflow/core';
import { generateSampleData, type SampleDataOptions, serializeStoreFile } from './sample-data';

const USAGE = `Usage: generate-sample-data [options]
  --stores N      stores 0001..N (default 11)
  --days N        consecutive business days (default 7)
  --start DATE    first date, YYYY-MM-DD (default 2025-10-27)
  --seed N        random seed; the same seed writes the same bytes (default 42)
  --out DIR       output folder (default sample-data)
  --bad-lines N   invalid lines to inject, spread over the files (default 0)
  --help          this text`;

function fail(message: string): never {
  console.error(`generate-sample-data: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n < min) fail(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      stores: { type: 'string', default: '11' },
      days: { type: 'string', default: '7' },
      start: { type: 'string', default: '2025-10-27' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'sample-data' },
      'bad-lines': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const start = values.start as string;
if (!isCalendarDate(start)) fail(`--start must be a calendar date YYYY-MM-DD, got "${start}"`);
const options: SampleDataOptions = {
  stores: integer('stores', values.stores as string, 1),
  days: integer('days', values.days as string, 1),
  start,
  seed: integer('seed', values.seed as string, 0),
  badLines: integer('bad-lines', values['bad-lines'] as string, 0),
};
if (options.stores > 9999) fail('--stores must be at most 9999 (store ids have four digits)');
const out = resolve(values.out as string);

mkdirSync(out, { recursive: true });
let files = 0;
let lines = 0;
let bytes = 0;
const bad: string[] = [];
for (const file of generateSampleData(options)) {
  const text = serializeStoreFile(file.records);
  writeFileSync(join(out, file.name), text);
  files++;
  lines += file.records.length;
  bytes += Buffer.byteLength(text);
  for (const b of file.badLines) bad.push(`  ${file.name} line ${b.line}: ${b.description} (${b.field})`);
}
console.log(
  `wrote ${files} files, ${lines} lines (${bad.length} invalid), ${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes) to ${out}`,
);
if (bad.length > 0) console.log(`invalid lines injected:\n${bad.join('\n')}`);
