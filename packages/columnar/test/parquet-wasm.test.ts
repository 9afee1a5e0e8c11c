import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { PARQUET_WASM_FILE, parquetWasmSourcePath } from '../src';

const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('parquet-wasm loading', () => {
  it('finds the WebAssembly module in node_modules', () => {
    const path = parquetWasmSourcePath();
    expect(basename(path)).toBe(PARQUET_WASM_FILE);
    expect(path).toMatch(/parquet-wasm[\\/]esm[\\/]/);
    // "\0asm": the magic number of a WebAssembly binary.
    expect([...readFileSync(path).subarray(0, 4)]).toStrictEqual([0x00, 0x61, 0x73, 0x6d]);
  });

  describe('from an ESM bundle, as deployed to Lambda', () => {
    // Outside the repository, so that nothing can be resolved from node_modules: the bundle has only itself.
    const dir = mkdtempSync(join(tmpdir(), 'columnar-bundle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { parquetToRows, rowsToParquet } from ${JSON.stringify(source)};
const row = { store_id: '0001', business_date: '2025-10-29', transaction_id: 'T1', timestamp_ms: 1761728417000,
  utc_offset_minutes: -300, item_sku: 'S', item_name: 'Mug ☕', quantity: 2, unit_price_cents: 1299,
  line_total_cents: 2598, discount_cents: 5, payment_method: 'debit', customer_id: 'C' };
console.log(JSON.stringify(parquetToRows(rowsToParquet([row, row]))));`,
    );
    const bundle = join(dir, 'index.mjs');

    it('loads the module copied next to the bundle', async () => {
      await build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'node',
        outfile: bundle,
        logLevel: 'silent',
      });
      copyFileSync(parquetWasmSourcePath(), join(dir, PARQUET_WASM_FILE));
      const out = execFileSync(process.execPath, [bundle], { cwd: dir, encoding: 'utf8' });
      const rows = JSON.parse(out) as { item_name: string; line_total_cents: number }[];
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ item_name: 'Mug ☕', line_total_cents: 2598, utc_offset_minutes: -300 });
    });

    it('says where it looked when the module is missing', () => {
      rmSync(join(dir, PARQUET_WASM_FILE));
      const run = () => execFileSync(process.execPath, [bundle], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
      expect(run).toThrow(new RegExp(`${PARQUET_WASM_FILE} is neither next to the code`));
    });
  });
});
