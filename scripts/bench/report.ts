/**
 * What every benchmark script prints for `npm run bench` (scripts/bench/index.ts) to collect: one line
 * `@bench {"bench": ..., "figures": [...]}` on stdout, after its own human-readable lines. The runner reads that line
 * only, so a script can change its prose freely; a figure keeps its `id` from run to run.
 */

/** A target a figure must meet: an absolute bound, or a multiple of the peer measured in the same run. */
export interface Target {
  op: '<=' | '>=';
  value: number;
  /** `absolute` (default): the figure against `value`; `peer`: the figure's ratio to its peer against `value`. */
  of?: 'absolute' | 'peer';
}

/** One figure of a benchmark, with the peer it is compared with, measured in the same run. */
export interface Figure {
  /** Stable identifier, `<bench>.<what>`: `cold-start.generate-upload-url.import-ms`. */
  id: string;
  /** What a reader sees in the table. */
  label: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run (DuckDB, JSON.parse, the smallest size). */
  peer?: { label: string; value: number };
  target?: Target;
  /** Context a reader needs (the slowest step, what dominates). */
  note?: string;
}

/** One benchmark's results. */
export interface BenchResult {
  bench: string;
  figures: Figure[];
  /** Facts of the run (files, rows, machine) that are not figures. */
  context?: Record<string, unknown>;
}

/** The line prefix the runner looks for. */
export const RESULT_PREFIX = '@bench ';

/** Prints the machine-readable result line. */
export function emitResult(result: BenchResult): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

/** The `@bench` lines of a script's output, parsed. */
export function parseResults(output: string): BenchResult[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(RESULT_PREFIX))
    .map((line) => JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult);
}

/** Whether a figure meets its target; undefined when it has none (or a peer target without a peer). */
export function meets(figure: Figure): boolean | undefined {
  const { target, peer } = figure;
  if (!target) return undefined;
  let measured = figure.value;
  if (target.of === 'peer') {
    if (!peer || peer.value === 0) return undefined;
    measured = figure.value / peer.value;
  }
  return target.op === '<=' ? measured <= target.value : measured >= target.value;
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
