import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../src/bundle';
import { lambdaArchitecture, nativeFiles, nativeModulesOf } from '../src/native';
import { zipFunction } from '../src/zip';
import { makeTempRepo, readZip, type TempRepo } from './temp-repo';

/** The architecture of this machine, so that the zip's addon is one this test can load. */
const HOST = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const OTHER_CPU = HOST === 'arm64' ? 'x64' : 'arm64';
const CPU = HOST === 'arm64' ? 'arm64' : 'x64';

let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo('duckdb-reader', 'greeter');
});
afterAll(() => repo?.remove());

describe('native modules', () => {
  it('are what a function declares in package.json tillflow.nativeModules, none by default', () => {
    expect(nativeModulesOf(repo.functionDir('duckdb-reader'))).toEqual(['@duckdb/node-api']);
    expect(nativeModulesOf(repo.functionDir('greeter'))).toEqual([]);
  });

  it('take the Lambda architecture from TILLFLOW_LAMBDA_ARCHITECTURE, arm64 by default', () => {
    expect(lambdaArchitecture({})).toBe('arm64');
    expect(lambdaArchitecture({ TILLFLOW_LAMBDA_ARCHITECTURE: 'x86_64' })).toBe('x86_64');
    expect(() => lambdaArchitecture({ TILLFLOW_LAMBDA_ARCHITECTURE: 'amd64' })).toThrow(/arm64 or x86_64/);
  });

  it('bring the module, its dependencies and only the Linux glibc addon of the architecture', () => {
    const names = nativeFiles(
      repo.functionDir('duckdb-reader'),
      ['@duckdb/node-api'],
      HOST,
      join(repo.root, 'cache'),
    ).map((f) => f.name);
    const packages = [
      ...new Set(
        names.map((n) =>
          n
            .split('/')
            .slice(1, n.startsWith('node_modules/@') ? 3 : 2)
            .join('/'),
        ),
      ),
    ];
    expect(packages.sort()).toEqual([
      '@duckdb/node-api',
      '@duckdb/node-bindings',
      `@duckdb/node-bindings-linux-${CPU}`,
      'detect-libc',
    ]);
    expect(names).toContain(`node_modules/@duckdb/node-bindings-linux-${CPU}/duckdb.node`);
    expect(names.some((n) => n.includes(`linux-${OTHER_CPU}`) || n.includes('musl') || n.includes('darwin'))).toBe(
      false,
    );
    expect(names.some((n) => n.endsWith('.d.ts') || n.endsWith('.md'))).toBe(false);
  });

  it('are left out of the bundle and carried by the zip, which runs on its own', async () => {
    const fn = repo.functionDir('duckdb-reader');
    const bundle = await bundleFunction(fn);
    expect(bundle.bundleBytes).toBeLessThan(10_000);
    const saved = process.env.TILLFLOW_LAMBDA_ARCHITECTURE;
    process.env.TILLFLOW_LAMBDA_ARCHITECTURE = HOST;
    const outDir = join(repo.root, 'zips');
    const zip = await zipFunction(fn, { outDir }).finally(() => {
      process.env.TILLFLOW_LAMBDA_ARCHITECTURE = saved;
    });
    expect(zip.entries).toContain('index.mjs');
    expect(zip.entries).toContain(`node_modules/@duckdb/node-bindings-linux-${CPU}/duckdb.node`);

    // Unpacked where no node_modules is above it, as in /var/task: the bundle resolves DuckDB from the zip alone.
    const task = await mkdtemp(join(tmpdir(), 'tillflow-task-'));
    try {
      for (const entry of await readZip(await import('node:fs/promises').then((fs) => fs.readFile(zip.zipPath)))) {
        const path = join(task, entry.name);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, entry.data);
      }
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import(${JSON.stringify(join(task, 'index.mjs'))}).then(async (m) => console.log(await m.handler()))`,
        ],
        { cwd: task, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      );
      expect(out.trim()).toBe('42');
    } finally {
      await rm(task, { recursive: true, force: true });
    }
  }, 400_000);
});
