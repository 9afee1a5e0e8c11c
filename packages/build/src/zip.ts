import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ZipFile } from 'yazl';
import { BUNDLE_FILE, DIST_DIR } from './bundle';
import { lambdaArchitecture, nativeFiles, nativeModulesOf } from './native';

/**
 * Timestamp of every zip entry (1980-01-01, the DOS epoch), zone-less like the zip's DOS date/time fields. yazl fills
 * those fields from a Date's local getters, so the Date is built from this local time at each call: the stored bytes are
 * then the same in every time zone, even if TZ changes while the process runs.
 */
export const ZIP_ENTRY_TIMESTAMP = '1980-01-01T00:00:00';

/** Unix mode of every zip entry: a regular file readable by all (Lambda runs the code as a non-owner user). */
export const ZIP_ENTRY_MODE = 0o100644;

/**
 * Deflate level of every entry. Fixed because the compressed bytes depend on it; maximum because the zip is built
 * once and uploaded many times.
 */
export const ZIP_COMPRESSION_LEVEL = 9;

/** Where the function zips go, relative to the repository root. */
export const FUNCTION_ZIPS_DIR = join('dist', 'functions');

// Locale-independent: localeCompare could order names differently on another machine.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One file to put in a zip. */
export interface ZipInput {
  /** Entry name inside the zip (no leading slash, `/` separators). */
  name: string;
  data: Buffer;
}

/** What {@link zipFunction} produced. Paths are absolute. */
export interface ZipResult {
  /** Function name: the function folder's name. */
  name: string;
  zipPath: string;
  zipBytes: number;
  /** Base64 SHA-256 of the zip, as Terraform's `filebase64sha256()` computes it. */
  sha256: string;
  sha256Path: string;
  /** Entry names in zip order. */
  entries: string[];
}

/** Options of {@link zipFunction}. */
export interface ZipFunctionOptions {
  /** Folder for `<name>.zip` and `<name>.zip.sha256`; defaults to `<repo root>/dist/functions`. */
  outDir?: string;
}

/**
 * Builds a zip whose bytes depend only on the entries' names and contents: entries sorted by name (code-unit order,
 * not locale order), one fixed timestamp, mode and compression level, no directory entries, no extra timestamp field.
 * Identical inputs therefore give a byte-identical zip, which keeps Terraform's `source_code_hash` unchanged.
 */
export async function createDeterministicZip(inputs: readonly ZipInput[]): Promise<Buffer> {
  const names = new Set<string>();
  for (const input of inputs) {
    if (names.has(input.name)) throw new Error(`duplicate zip entry: ${input.name}`);
    names.add(input.name);
  }
  const sorted = [...inputs].sort((a, b) => byCodeUnit(a.name, b.name));

  // A date-time string without an offset is parsed as local time.
  const mtime = new Date(ZIP_ENTRY_TIMESTAMP);
  const zip = new ZipFile();
  for (const input of sorted) {
    zip.addBuffer(input.data, input.name, {
      mtime,
      mode: ZIP_ENTRY_MODE,
      compress: true,
      compressionLevel: ZIP_COMPRESSION_LEVEL,
      // The Info-ZIP "UT" field stores the mtime as UTC seconds, which would vary with the builder's time zone.
      forceDosTimestamp: true,
    });
  }
  zip.end();

  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

/** Base64 SHA-256 of a buffer: the value of Terraform's `filebase64sha256()` for a file with these bytes. */
export function base64Sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/**
 * Picks the files of `dist/` that the Lambda needs: the bundle and the WebAssembly binaries it loads. Everything else
 * there (the metafile, anything a tool leaves behind) stays out of the zip.
 */
export function selectLambdaFiles(fileNames: readonly string[]): string[] {
  return fileNames.filter((name) => name === BUNDLE_FILE || name.endsWith('.wasm'));
}

/**
 * The repository root: the nearest folder at or above `from` whose package.json declares npm `workspaces`.
 * @throws Error when no such folder exists up to the filesystem root.
 */
export async function findRepoRoot(from: string): Promise<string> {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(await readFile(manifest, 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces !== undefined) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with "workspaces" at or above ${resolve(from)}`);
    dir = parent;
  }
}

/**
 * Zips the Lambda files of `<functionDir>/dist/` (see {@link selectLambdaFiles}) into `<outDir>/<name>.zip` with
 * {@link createDeterministicZip}, with the native modules the function declares under `node_modules/` (see
 * {@link nativeFiles}), and writes the zip's base64 SHA-256 to `<outDir>/<name>.zip.sha256` (no trailing
 * newline, so Terraform's `file()` of it equals `filebase64sha256()` of the zip).
 * @throws Error when `dist/` holds no bundle (run `tillflow-build bundle` first).
 */
export async function zipFunction(functionDir: string, options: ZipFunctionOptions = {}): Promise<ZipResult> {
  const root = resolve(functionDir);
  const name = basename(root);
  const distDir = join(root, DIST_DIR);
  if (!existsSync(join(distDir, BUNDLE_FILE))) {
    throw new Error(`${join(distDir, BUNDLE_FILE)} not found: bundle the function before zipping it`);
  }

  const dirents = await readdir(distDir, { withFileTypes: true });
  const files = selectLambdaFiles(dirents.filter((d) => d.isFile()).map((d) => d.name));
  const repoRoot = await findRepoRoot(root);
  const native = nativeFiles(
    root,
    nativeModulesOf(root),
    lambdaArchitecture(),
    join(repoRoot, 'node_modules', '.cache', 'tillflow-native'),
  );
  const inputs = await Promise.all([
    ...files.map(async (file) => ({ name: file, data: await readFile(join(distDir, file)) })),
    ...native.map(async (file) => ({ name: file.name, data: await readFile(file.path) })),
  ]);
  const zip = await createDeterministicZip(inputs);
  const sha256 = base64Sha256(zip);

  const outDir = options.outDir ?? join(repoRoot, FUNCTION_ZIPS_DIR);
  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, `${name}.zip`);
  const sha256Path = `${zipPath}.sha256`;
  await writeFile(zipPath, zip);
  await writeFile(sha256Path, sha256);

  const entries = [...files, ...native.map((f) => f.name)].sort(byCodeUnit);
  return { name, zipPath, zipBytes: zip.length, sha256, sha256Path, entries };
}
