/**
 * Writes a deterministic marketplace order report (CSV, the columns of the "Amazon Sale Report"). Usage:
 *   npx tsx scripts/generate-marketplace-report.ts --orders 2000 --start 2022-04-01 --days 91 --seed 7 \
 *     --out sample-data/marketplace/amazon/sales-2022-q2.csv
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateMarketplaceLines, serializeMarketplaceReport } from './marketplace-data';
import { parseScriptArgs } from './script-args';

const USAGE = `Usage: generate-marketplace-report [options]
  --orders N      orders to generate, 1.1 lines each on average (default 2000)
  --start DATE    first order date, YYYY-MM-DD (default 2022-04-01)
  --days N        days the orders spread over (default 91)
  --seed N        random seed; the same seed writes the same bytes (default 7)
  --bad-lines N   invalid lines to inject (default 0)
  --plain         no quirks of real exports (BOM, CRLF, index and Unnamed: 22 columns, "Sales Channel ")
  --out FILE      output file (default marketplace-report.csv)
  --help          this text`;

const { values, integer, date } = parseScriptArgs('generate-marketplace-report', USAGE, {
  orders: { type: 'string', default: '2000' },
  start: { type: 'string', default: '2022-04-01' },
  days: { type: 'string', default: '91' },
  seed: { type: 'string', default: '7' },
  'bad-lines': { type: 'string', default: '0' },
  plain: { type: 'boolean', default: false },
  out: { type: 'string', default: 'marketplace-report.csv' },
});
const start = date('start');
const lines = generateMarketplaceLines({
  orders: integer('orders', 1),
  start,
  days: integer('days', 1),
  seed: integer('seed', 0),
  badLines: integer('bad-lines', 0),
});
const text = serializeMarketplaceReport(lines, !values.plain);
const out = resolve(values.out as string);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
const bad = lines.filter((l) => l.bad).length;
console.log(`wrote ${out}: ${lines.length} lines (${bad} invalid), ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`);
