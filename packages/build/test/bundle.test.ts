import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, CJS_COMPAT_BANNER } from '../src/bundle';
import { makeTempRepo, type TempRepo } from './temp-repo';

interface GreeterResult {
  greeting: string;
  digest: string;
  moduleDir: string;
  ownDirname: string;
  item: unknown;
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const run = promisify(execFile);

/**
 * Imports the bundle in a plain Node process and calls its handler. Not in Vitest's own module runner, which gives
 * modules `require` and `__dirname` of its own and would hide a bundle that only works thanks to them.
 */
async function invokeBundle<T>(bundlePath: string, event?: unknown): Promise<T> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event ?? null)})));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script]);
  return JSON.parse(stdout) as T;
}

describe('bundleFunction', () => {
  let repo: TempRepo;
  let otherRepo: TempRepo;

  beforeAll(async () => {
    repo = await makeTempRepo('greeter', 'parquet-reader');
    otherRepo = await makeTempRepo('greeter');
  });

  afterAll(async () => {
    await repo.remove();
    await otherRepo.remove();
  });

  it('bundles a handler with a CommonJS dependency into an ES module whose handler runs', async () => {
    const result = await bundleFunction(repo.functionDir('greeter'));
    expect(result.name).toBe('greeter');
    expect(result.bundlePath).toBe(join(repo.functionDir('greeter'), 'dist', 'index.mjs'));
    expect(result.assets).toEqual([]);

    expect(await invokeBundle<GreeterResult>(result.bundlePath, { name: 'ada' })).toEqual({
      greeting: 'hello, ada',
      digest: createHash('sha256').update('ada').digest('hex'),
      // The CJS module's __dirname is the banner's: the folder of the bundle.
      moduleDir: 'dist',
      ownDirname: 'declared-by-the-handler',
      item: { count: { N: '2' } },
    });
  });

  it('writes a minified bundle with the CommonJS banner, keeps @aws-sdk external and writes no source map', async () => {
    const result = await bundleFunction(repo.functionDir('greeter'));
    const code = await readFile(result.bundlePath, 'utf8');
    expect(code.startsWith(`${CJS_COMPAT_BANNER}\n`)).toBe(true);
    expect(code).toMatch(/from\s*"@aws-sdk\/util-dynamodb"/);
    expect(code).not.toContain('sourceMappingURL');
    // Minified: the CJS module's source text (its comment, its parameter name) is gone.
    expect(code).not.toContain('neither of which exists');
    expect(result.bundleBytes).toBe(Buffer.byteLength(code));
    expect(result.bundleBytes).toBeLessThan(4096);

    const meta = JSON.parse(await readFile(result.metafilePath, 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(meta.inputs).sort()).toEqual(['src/handler.ts', 'src/legacy-greeting.cjs']);
    expect(await readdir(join(repo.functionDir('greeter'), 'dist'))).toEqual([
      'index.mjs',
      'meta.json',
      'sources.json',
    ]);
  });

  it('gives the same bytes wherever the repository is checked out', async () => {
    const here = await bundleFunction(repo.functionDir('greeter'));
    const there = await bundleFunction(otherRepo.functionDir('greeter'));
    const hereCode = await readFile(here.bundlePath);
    expect(await readFile(there.bundlePath)).toEqual(hereCode);
    expect(await readFile(there.metafilePath)).toEqual(await readFile(here.metafilePath));
    expect(hereCode.toString()).not.toContain(repo.root);
  });

  it('empties dist/ first so that files from an earlier build do not reach the zip', async () => {
    const dist = join(repo.functionDir('greeter'), 'dist');
    await bundleFunction(repo.functionDir('greeter'));
    await writeFile(join(dist, 'parquet_wasm_bg.wasm'), 'left over from a build that used parquet-wasm');
    await bundleFunction(repo.functionDir('greeter'));
    expect(await readdir(dist)).toEqual(['index.mjs', 'meta.json', 'sources.json']);
  });

  it('copies the parquet-wasm binary beside a bundle that includes parquet-wasm, where the bundle loads it', async () => {
    const result = await bundleFunction(repo.functionDir('parquet-reader'));
    const wasmPath = join(repo.functionDir('parquet-reader'), 'dist', 'parquet_wasm_bg.wasm');
    const source = await readFile(join(repo.root, 'node_modules', 'parquet-wasm', 'esm', 'parquet_wasm_bg.wasm'));
    expect(result.assets).toEqual([{ path: wasmPath, bytes: source.length }]);
    // Compared by hash: vitest's deep equality walks a 4.8 MB buffer byte by byte for tens of seconds.
    expect(sha256Hex(await readFile(wasmPath))).toBe(sha256Hex(source));

    // The error comes from the Rust reader inside the wasm: proof that the binary beside the bundle was loaded.
    const { error } = await invokeBundle<{ error: string }>(result.bundlePath);
    expect(error).toContain('Parquet file too small');
  });
});
