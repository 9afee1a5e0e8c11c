import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../src/bundle';
import {
  base64Sha256,
  createDeterministicZip,
  findRepoRoot,
  selectLambdaFiles,
  ZIP_ENTRY_MODE,
  zipFunction,
} from '../src/zip';
import { makeTempRepo, readZip, type TempRepo } from './temp-repo';

// DOS date of 1980-01-01: (year - 1980) << 9 | month << 5 | day.
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const DEFLATE = 8;

describe('createDeterministicZip', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it('stores entries sorted by name with a fixed date, mode and deflate, and nothing else', async () => {
    const zip = await createDeterministicZip([
      { name: 'b.wasm', data: Buffer.from([0, 97, 115, 109]) },
      { name: 'Z.txt', data: Buffer.from('capital letters sort first') },
      { name: 'a.mjs', data: Buffer.from('export const x = 1;\n'.repeat(50)) },
    ]);
    const entries = await readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['Z.txt', 'a.mjs', 'b.wasm']);
    expect(entries[1]?.data.toString()).toBe('export const x = 1;\n'.repeat(50));
    expect([...(entries[2]?.data ?? [])]).toEqual([0, 97, 115, 109]);
    for (const entry of entries) {
      expect(entry.lastModFileDate).toBe(DOS_DATE_1980_01_01);
      expect(entry.lastModFileTime).toBe(0);
      expect(entry.unixMode).toBe(0o100644);
      expect(entry.compressionMethod).toBe(DEFLATE);
      // No Info-ZIP "UT" timestamp field, whose value would depend on the time zone.
      expect(entry.extraFieldCount).toBe(0);
    }
    expect(ZIP_ENTRY_MODE).toBe(0o100644);
  });

  it('gives the same bytes whatever order the inputs come in and whatever the time zone', async () => {
    const one = { name: 'index.mjs', data: Buffer.from('export const handler = () => 1;') };
    const two = { name: 'parquet_wasm_bg.wasm', data: Buffer.from('not really wasm') };
    process.env.TZ = 'Pacific/Kiritimati';
    const east = await createDeterministicZip([one, two]);
    process.env.TZ = 'America/Los_Angeles';
    const west = await createDeterministicZip([two, one]);
    expect(base64Sha256(west)).toBe(base64Sha256(east));
  });

  it('rejects two entries with the same name', async () => {
    const entry = { name: 'index.mjs', data: Buffer.from('x') };
    await expect(createDeterministicZip([entry, entry])).rejects.toThrow('duplicate zip entry: index.mjs');
  });
});

describe('base64Sha256', () => {
  it('encodes the SHA-256 digest in base64 as filebase64sha256() does', () => {
    // FIPS 180-2 test vector: SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad.
    expect(base64Sha256(Buffer.from('abc'))).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});

describe('selectLambdaFiles', () => {
  it('keeps the bundle and wasm binaries, drops the metafile and anything else', () => {
    expect(selectLambdaFiles(['meta.json', 'parquet_wasm_bg.wasm', 'index.mjs', 'index.mjs.map', 'notes.txt'])).toEqual(
      ['parquet_wasm_bg.wasm', 'index.mjs'],
    );
  });
});

describe('findRepoRoot', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await makeTempRepo('greeter');
  });
  afterAll(() => repo.remove());

  it('walks up past package.json files without workspaces to the workspace root', async () => {
    // The function folder has its own package.json (no workspaces); the root is two levels up.
    expect(await findRepoRoot(join(repo.functionDir('greeter'), 'src'))).toBe(repo.root);
  });

  it('fails when no package.json up the tree declares workspaces', async () => {
    const lonely = await mkdtemp(join(tmpdir(), 'tillflow-no-repo-'));
    try {
      await expect(findRepoRoot(lonely)).rejects.toThrow('no package.json with "workspaces"');
    } finally {
      await rm(lonely, { recursive: true, force: true });
    }
  });
});

describe('zipFunction', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await makeTempRepo('greeter', 'parquet-reader');
    await bundleFunction(repo.functionDir('greeter'));
    await bundleFunction(repo.functionDir('parquet-reader'));
  });
  afterAll(() => repo.remove());

  it('writes <repo>/dist/functions/<name>.zip with exactly the bundle and the wasm, and its base64 sha256', async () => {
    const result = await zipFunction(repo.functionDir('parquet-reader'));
    const zipPath = join(repo.root, 'dist', 'functions', 'parquet-reader.zip');
    expect(result.zipPath).toBe(zipPath);
    expect(result.sha256Path).toBe(`${zipPath}.sha256`);
    expect(result.entries).toEqual(['index.mjs', 'parquet_wasm_bg.wasm']);

    const zip = await readFile(zipPath);
    expect(result.zipBytes).toBe(zip.length);
    expect(result.sha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(await readFile(result.sha256Path, 'utf8')).toBe(result.sha256);

    const entries = await readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['index.mjs', 'parquet_wasm_bg.wasm']);
    const dist = join(repo.functionDir('parquet-reader'), 'dist');
    expect(entries[0]?.data.equals(await readFile(join(dist, 'index.mjs')))).toBe(true);
    expect(entries[1]?.data.equals(await readFile(join(dist, 'parquet_wasm_bg.wasm')))).toBe(true);
    // Deflate makes the 4.8 MB binary well under half its size.
    expect(result.zipBytes).toBeLessThan(2_200_000);
  });

  it('gives a byte-identical zip for identical files with other mtimes, and another hash when one byte changes', async () => {
    const fn = repo.functionDir('greeter');
    const bundle = join(fn, 'dist', 'index.mjs');
    const first = await zipFunction(fn);
    const firstBytes = await readFile(first.zipPath);

    await utimes(bundle, new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));
    const second = await zipFunction(fn);
    expect(second.sha256).toBe(first.sha256);
    expect((await readFile(second.zipPath)).equals(firstBytes)).toBe(true);

    const code = await readFile(bundle);
    code[code.length - 1] = code[code.length - 1] === 0x0a ? 0x20 : 0x0a;
    await writeFile(bundle, code);
    const changed = await zipFunction(fn);
    expect(changed.sha256).not.toBe(first.sha256);
    expect(await readFile(changed.sha256Path, 'utf8')).toBe(changed.sha256);
  });

  it('writes to the given folder instead of the repository when outDir is set', async () => {
    const outDir = join(repo.root, 'elsewhere');
    const result = await zipFunction(repo.functionDir('greeter'), { outDir });
    expect(result.zipPath).toBe(join(outDir, 'greeter.zip'));
    expect(existsSync(result.zipPath)).toBe(true);
  });

  it('refuses a function that has not been bundled', async () => {
    const fn = join(repo.root, 'functions', 'unbundled');
    await mkdir(join(fn, 'dist'), { recursive: true });
    await expect(zipFunction(fn)).rejects.toThrow('bundle the function before zipping it');
  });
});
