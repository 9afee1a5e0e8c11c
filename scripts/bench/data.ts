/**
 * Generated store files for the benchmarks: the month (11 stores × 30 days from 2025-10-01, seed 7, the shape stores
 * export: pretty-printed arrays) unless told otherwise, written once per shape under the system's temp folder.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleData, serializeStoreFile } from '../sample-data';

/** The month of docs/performance.md. */
export const MONTH = { stores: 11, days: 30, start: '2025-10-01', seed: 7 } as const;

/** What to generate. */
export interface DataShape {
  stores: number;
  days: number;
  start: string;
  seed: number;
}

/**
 * A folder holding the generated files of `shape` (generated on first use, reused after: the generator is
 * deterministic, so the same shape is the same bytes). Returns the folder and the total JSON bytes.
 */
export function generatedData(shape: DataShape): { dir: string; bytes: number; files: number } {
  const dir = join(tmpdir(), `tillflow-bench-data-${shape.stores}x${shape.days}-${shape.start}-${shape.seed}`);
  const complete = join(dir, '.complete');
  if (!existsSync(complete)) {
    mkdirSync(dir, { recursive: true });
    for (const file of generateSampleData({ ...shape, badLines: 0 })) {
      writeFileSync(join(dir, file.name), serializeStoreFile(file.records));
    }
    writeFileSync(complete, '');
  }
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    files++;
    bytes += statSync(join(dir, name)).size;
  }
  return { dir, bytes, files };
}
