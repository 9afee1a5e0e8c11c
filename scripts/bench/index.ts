/**
 * `npm run bench`: every benchmark of scripts/bench/, one after the other in this run, and one table of their
 * figures, each beside the peer it was measured against in the same run and its target. Usage:
 *   npm run bench [-- --quick] [-- --only cold-start,platform]
 *
 * Each benchmark is its own script, run as a child process; the runner reads the `@bench {json}` line it prints
 * (report.ts) and passes its other output through. The conversion benchmark (columnar.ts) runs on the generated month;
 * until it prints an `@bench` line, its figures are read from its text lines.
 *
 * `--quick` runs every benchmark on tiny inputs (2 stores × 2 days, one cold import per function): a smoke test that
 * the benchmarks and the table work, which `npm test` runs (scripts/test/bench.test.ts). Its timings mean nothing and
 * it judges no target.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatedData, MONTH } from './data';
import { type BenchResult, meets, parseResults } from './report';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  strict: true,
});
const quick = values.quick === true;
const only = values.only?.split(',').map((s) => s.trim());

const HERE = import.meta.dirname;
const QUICK = { stores: 2, days: 2, start: MONTH.start, seed: MONTH.seed };

interface Bench {
  name: string;
  script: string;
  args: () => string[];
}

const benches: Bench[] = [
  {
    name: 'cold-start',
    script: 'cold-start.ts',
    args: () =>
      quick ? ['--runs', '1', '--no-build', '--only', 'generate-upload-url,write-metrics'] : ['--runs', '10'],
  },
  {
    name: 'columnar',
    script: 'columnar.ts',
    args: () => ['--dir', generatedData(quick ? QUICK : MONTH).dir, ...(quick ? ['--passes', '1'] : [])],
  },
  {
    name: 'platform',
    script: 'platform.ts',
    args: () => (quick ? ['--stores', String(QUICK.stores), '--days', String(QUICK.days)] : []),
  },
  {
    name: 'analytics-jobs',
    script: 'analytics-jobs.ts',
    args: () => (quick ? ['--stores', String(QUICK.stores), '--days', String(QUICK.days), '--orders', '40'] : []),
  },
  {
    name: 'growth',
    script: 'growth.ts',
    args: () => (quick ? ['--sizes', '2,3', '--days', '2'] : ['--sizes', '11,50,200', '--days', '7']),
  },
];

/** Runs a script to its end, its output passed through, and resolves with its stdout. */
function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      process.stdout.write(
        text
          .split('\n')
          .filter((line) => !line.startsWith('@bench '))
          .join('\n'),
      );
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const results: BenchResult[] = [];
const failures: string[] = [];
for (const bench of benches) {
  if (only && !only.includes(bench.name)) continue;
  console.log(`\n=== ${bench.name}${quick ? ' (quick)' : ''}`);
  const { code, stdout } = await run(bench.script, bench.args());
  const parsed = parseResults(stdout);
  const figures = parsed.flatMap((r) => r.figures);
  // cold-start exits 1 when an API function misses a target: a result, not a failure of the benchmark.
  if ((code !== 0 && !(bench.name === 'cold-start' && figures.length > 0)) || figures.length === 0) {
    failures.push(`${bench.name} (exit code ${code}${figures.length === 0 ? ', no figures' : ''})`);
  }
  results.push({ bench: bench.name, figures });
}

const fmt = (n: number): string =>
  Math.abs(n) >= 1000
    ? n.toFixed(0)
    : Math.abs(n) >= 100
      ? n.toFixed(1)
      : Math.abs(n) >= 1
        ? n.toFixed(2)
        : n.toFixed(3);
const rows = results.flatMap((r) =>
  r.figures.map((f) => {
    const ratio = f.peer && f.peer.value !== 0 ? `${fmt(f.value / f.peer.value)}×` : '';
    const target = f.target
      ? `${f.target.op} ${fmt(f.target.value)}${f.target.of === 'peer' ? '× peer' : ` ${f.unit}`}`
      : '';
    const verdict = quick ? '' : ({ true: 'PASS', false: 'FAIL', undefined: '' } as const)[String(meets(f)) as 'true'];
    return [
      r.bench,
      f.label,
      `${fmt(f.value)} ${f.unit}`,
      f.peer ? `${f.peer.label}: ${fmt(f.peer.value)} ${f.unit}` : '',
      ratio,
      target,
      verdict,
      f.note ?? '',
    ];
  }),
);
const header = ['bench', 'figure', 'value', 'peer (same run)', 'ratio', 'target', 'verdict', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
    .join('  ')
    .trimEnd();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\n=== results${quick ? ' (quick: a smoke test, timings mean nothing)' : ''}: ${availableParallelism()} cores (${cpu}),` +
    ` ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
if (!quick) {
  const judged = results.flatMap((r) => r.figures).filter((f) => meets(f) !== undefined);
  console.log(`${judged.filter((f) => meets(f)).length} of ${judged.length} targets met`);
}
if (failures.length > 0) {
  console.log(`benchmarks that failed: ${failures.join(', ')}`);
  process.exitCode = 1;
}
