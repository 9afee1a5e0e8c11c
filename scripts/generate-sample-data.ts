/**
 * Writes deterministic sample store files. Usage:
 *   npx tsx scripts/generate-sample-data.ts --stores 11 --days 7 --start 2025-10-27 --seed 42 --out sample-data
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSampleData, type SampleDataOptions, serializeStoreFile } from './sample-data';
import { parseScriptArgs } from './script-args';

const USAGE = `Usage: generate-sample-data [options]
  --stores N      stores 0001..N (default 11)
  --days N        consecutive business days (default 7)
  --start DATE    first date, YYYY-MM-DD (default 2025-10-27)
  --seed N        random seed; the same seed writes the same bytes (default 42)
  --out DIR       output folder (default sample-data)
  --bad-lines N   invalid lines to inject, spread over the files (default 0)
  --help          this text`;

const { values, integer, date, fail } = parseScriptArgs('generate-sample-data', USAGE, {
  stores: { type: 'string', default: '11' },
  days: { type: 'string', default: '7' },
  start: { type: 'string', default: '2025-10-27' },
  seed: { type: 'string', default: '42' },
  out: { type: 'string', default: 'sample-data' },
  'bad-lines': { type: 'string', default: '0' },
});
const start = date('start');
const options: SampleDataOptions = {
  stores: integer('stores', 1),
  days: integer('days', 1),
  start,
  seed: integer('seed', 0),
  badLines: integer('bad-lines', 0),
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
