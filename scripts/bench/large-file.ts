/**
 * Large store files within Lambda memory (issue 9, part 2): generates store exports of the given sizes
 * (pretty-printed arrays, as stores write them) and converts each with convertStoreFile in a separate process,
 * reading it as a stream, and reports that process's peak RSS and time. The conversion process is a fresh Node
 * process (the local Lambda runtime bounds only a worker's heap, not its RSS, so RSS is measured here).
 * Usage:
 *   npx tsx scripts/bench/large-file.ts [--sizes 12,100,1000] [--dir /tmp/tillflow-large] [--max-rss-mb 600] [--clean]
 * Exits 1 when the largest file's peak RSS is over --max-rss-mb. --clean removes the generated files afterwards.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { convertStoreFile } from '@tillflow/columnar';
import { generateStoreDay, storeAt } from '../sample-data';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '12,100,1000' },
    dir: { type: 'string', default: '/tmp/tillflow-large' },
    'max-rss-mb': { type: 'string', default: '600' },
    convert: { type: 'string' },
    clean: { type: 'boolean', default: false },
  },
  strict: true,
});
const DATE = '2025-10-29';

/** What a generated file holds, counted as it is written: the conversion must find the same. */
interface Expected {
  lines: number;
  netCents: number;
}

async function generate(path: string, megabytes: number): Promise<Expected> {
  const out = createWriteStream(path);
  const target = megabytes * 1e6;
  let written = 0;
  let tx = 0;
  let seed = 1;
  const expected: Expected = { lines: 0, netCents: 0 };
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      written += Buffer.byteLength(text);
      if (out.write(text)) resolve();
      else out.once('drain', () => resolve());
    });
  await write('[\n');
  let first = true;
  while (written < target) {
    const day = generateStoreDay(storeAt(0), DATE, seed++);
    let last = '';
    let parts: string[] = [];
    for (const line of day) {
      if (line.transaction_id !== last) {
        last = line.transaction_id;
        tx++;
      }
      const item = { ...line, transaction_id: `TXN-0001-20251029-${String(tx).padStart(8, '0')}` };
      expected.lines++;
      expected.netCents += Math.round(line.line_total * 100) - Math.round(line.discount_amount * 100);
      parts.push(`${first ? '' : ',\n'}${JSON.stringify(item, null, 2).replace(/^/gm, '  ')}`);
      first = false;
    }
    await write(parts.join(''));
    parts = [];
  }
  await write('\n]\n');
  await new Promise<void>((resolve) => out.end(resolve));
  writeFileSync(`${path}.expected.json`, JSON.stringify(expected));
  return expected;
}

if (values.convert) {
  // The child: convert one file, print one JSON line.
  const path = values.convert;
  const start = performance.now();
  const result = await convertStoreFile(
    () => createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    { storeId: '0001', date: DATE },
    { maxBytes: 2 ** 31 },
  );
  const ms = performance.now() - start;
  if (result.status !== 'converted') throw new Error(result.reason);
  console.log(
    JSON.stringify({
      ms,
      rssMB: process.resourceUsage().maxRSS / 1024,
      lines: result.lines,
      accepted: result.accepted,
      parquetBytes: result.parquet?.byteLength ?? 0,
      netSales: result.figures.net_sales,
    }),
  );
} else {
  const dir = values.dir as string;
  mkdirSync(dir, { recursive: true });
  const sizes = (values.sizes as string).split(',').map(Number);
  const maxRss = Number(values['max-rss-mb']);
  let worst = 0;
  console.log('size      JSON bytes     lines      time     MB/s   peak RSS   Parquet    ratio');
  for (const mb of sizes) {
    const path = join(dir, `store_0001_${DATE}_${mb}MB.json`);
    const expected: Expected =
      existsSync(path) && existsSync(`${path}.expected.json`) && statSync(path).size >= mb * 1e6
        ? JSON.parse(readFileSync(`${path}.expected.json`, 'utf8'))
        : await generate(path, mb);
    const bytes = statSync(path).size;
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, '--convert', path], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`conversion of ${path} failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
    worst = r.rssMB;
    if (
      r.lines !== expected.lines ||
      r.accepted !== expected.lines ||
      Math.round(r.netSales * 100) !== expected.netCents
    ) {
      console.error(`${path}: converted ${JSON.stringify(r)}, expected ${JSON.stringify(expected)}`);
      process.exit(1);
    }
    console.log(
      `${String(mb).padStart(5)} MB ${String(bytes).padStart(13)} ${String(r.lines).padStart(9)} ${(r.ms / 1000).toFixed(1).padStart(8)} s` +
        ` ${(bytes / 1e6 / (r.ms / 1000)).toFixed(1).padStart(7)} ${r.rssMB.toFixed(0).padStart(7)} MB` +
        ` ${String(r.parquetBytes).padStart(9)} ${(bytes / r.parquetBytes).toFixed(1).padStart(7)}×`,
    );
  }
  console.log(
    `largest file's peak RSS ${worst.toFixed(0)} MB, target ≤ ${maxRss} MB: ${worst <= maxRss ? 'PASS' : 'FAIL'}`,
  );
  if (worst > maxRss) process.exit(1);
}
