import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Figure, median, meets, parseResults } from '../bench/report';
import { runProcess } from './run-process';

const SCRIPTS = join(import.meta.dirname, '..');

describe('bench report', () => {
  it('parses the @bench lines among the others and judges targets against the value or the peer ratio', () => {
    const figure: Figure = { id: 'x.a', label: 'a', value: 12, unit: 'ms', target: { op: '<=', value: 10 } };
    const output = `some prose\n@bench ${JSON.stringify({ bench: 'x', figures: [figure] })}\nmore prose\n`;
    expect(parseResults(output)).toEqual([{ bench: 'x', figures: [figure] }]);
    expect(meets(figure)).toBe(false);
    expect(meets({ ...figure, value: 10 })).toBe(true);
    const relative: Figure = {
      ...figure,
      value: 180,
      peer: { label: 'base', value: 10 },
      target: { op: '<=', value: 18.2, of: 'peer' },
    };
    expect(meets(relative)).toBe(true);
    expect(meets({ ...relative, value: 200 })).toBe(false);
    expect(meets({ ...relative, peer: undefined } as Figure)).toBeUndefined();
    expect(meets({ id: 'x.b', label: 'b', value: 1, unit: 's' })).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

// The whole runner on tiny inputs: several local platforms and fresh processes on a busy 2-core machine.
describe('npm run bench -- --quick', { timeout: 600_000 }, () => {
  it('runs every benchmark and prints one table with a row for each of their figures', async () => {
    const result = await runProcess(process.execPath, ['--import', 'tsx', 'bench/index.ts', '--quick'], SCRIPTS);
    expect(result.stderr).not.toContain('benchmarks that failed');
    expect(result.code).toBe(0);
    const table = result.stdout.slice(result.stdout.indexOf('=== results'));
    const rows = table.split('\n').slice(3).filter(Boolean);
    const benches = new Set(rows.map((row) => row.split(/\s+/)[0]));
    expect([...benches].sort()).toEqual(['analytics-jobs', 'cold-start', 'columnar', 'growth', 'platform']);
    // Every row has a finite value with its unit, and a peer row its ratio.
    for (const row of rows) expect(row).toMatch(/\s\d+(\.\d+)? (ms|s|KB|MB|MB\/s|×)(\s|$)/);
    const upload = rows.find((row) => row.includes('one upload at 3 stores'));
    expect(upload).toMatch(/2 stores: [\d.]+ ms\s+[\d.]+×/);
    expect(rows.some((row) => row.includes('generate-upload-url cold import (API)'))).toBe(true);
    expect(rows.some((row) => row.includes('through both workflows'))).toBe(true);
    // One job of each of the seven operations, through the workflow.
    expect(
      rows.filter((row) => row.startsWith('analytics-jobs') && row.includes('job (workflow, DuckDB)')),
    ).toHaveLength(7);
    // Quick runs judge no target.
    expect(table).not.toMatch(/PASS|FAIL/);
  });
});
