import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSampleData, serializeStoreFile } from '../sample-data';
import { type ProcessResult, runProcess } from './run-process';

const SCRIPTS = join(import.meta.dirname, '..');

function cli(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, ['--import', 'tsx', 'generate-sample-data.ts', ...args], SCRIPTS);
}

// Each run starts tsx, which takes seconds on a busy 2-core machine.
describe('generate-sample-data CLI', { timeout: 60_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'tillflow-gen-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the files of the library, reports counts and the injected lines', async () => {
    const args = ['--stores', '3', '--days', '2', '--start', '2025-10-30', '--seed', '9', '--bad-lines', '2'];
    const result = await cli([...args, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = [...generateSampleData({ stores: 3, days: 2, start: '2025-10-30', seed: 9, badLines: 2 })];
    expect(readdirSync(out).sort()).toEqual(expected.map((f) => f.name).sort());
    let lines = 0;
    let bytes = 0;
    for (const file of expected) {
      const text = serializeStoreFile(file.records);
      expect(readFileSync(join(out, file.name), 'utf8') === text, file.name).toBe(true);
      lines += file.records.length;
      bytes += Buffer.byteLength(text);
    }
    expect(result.stdout).toContain(
      `wrote 6 files, ${lines} lines (2 invalid), ${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes)`,
    );
    const bad = expected.flatMap((f) => f.badLines.map((b) => `${f.name} line ${b.line}: ${b.description}`));
    expect(bad).toHaveLength(2);
    for (const b of bad) expect(result.stdout).toContain(b);
  });

  it('refuses a date that is not on the calendar and unknown flags', async () => {
    const [badDate, unknown] = await Promise.all([
      cli(['--start', '2025-02-30', '--out', out]),
      cli(['--storez', '3']),
    ]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--start must be a calendar date');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--storez'");
  });
});
