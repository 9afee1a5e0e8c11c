import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Sha256 } from '../src/zip';
import { makeTempRepo, readZip, type TempRepo } from './temp-repo';

const run = promisify(execFile);
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.ts');

// Each CLI call starts node with tsx (about a second alone, several under a loaded machine).
describe('tillflow-build', { timeout: 90_000 }, () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await makeTempRepo('greeter');
  });
  afterAll(() => repo.remove());

  // Runs the file itself, as npm's bin link does, so its shebang and executable bit are exercised too.
  it('bundles and zips the function in the current folder, printing the sizes', async () => {
    const cwd = repo.functionDir('greeter');
    const bundled = await run(cli, ['bundle'], { cwd });
    const bundleBytes = (await readFile(join(cwd, 'dist', 'index.mjs'))).length;
    expect(bundled.stdout).toBe(`greeter: dist/index.mjs ${(bundleBytes / 1024).toFixed(1)} KiB\n`);

    const zipped = await run(cli, ['zip'], { cwd });
    const zip = await readFile(join(repo.root, 'dist', 'functions', 'greeter.zip'));
    expect(zipped.stdout).toBe(
      `greeter: ../../dist/functions/greeter.zip ${zip.length} B [index.mjs] sha256 ${base64Sha256(zip)}\n`,
    );
    expect((await readZip(zip)).map((e) => e.name)).toEqual(['index.mjs']);
  });

  it('exits with status 2 and the usage for an unknown command', async () => {
    await expect(run(cli, ['deploy'], { cwd: repo.functionDir('greeter') })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: tillflow-build <bundle|zip>'),
    });
  });

  it('exits with status 1 and the reason when zipping before bundling', async () => {
    await expect(run(cli, ['zip'], { cwd: repo.root })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('bundle the function before zipping it'),
    });
  });
});
