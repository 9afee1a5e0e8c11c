import { createHash } from 'node:crypto';
import { copyFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { nativeModulesOf } from './native';

/**
 * Modules left out of every bundle because the Lambda `nodejs24.x` runtime already ships them. Bundling AWS SDK v3
 * would add hundreds of KB per function (and cold-start time) for code that is on the runtime's module path anyway.
 * Only list what the runtime provides: anything else marked external would fail to import in AWS.
 */
export const RUNTIME_PROVIDED_MODULES: readonly string[] = ['@aws-sdk/*'];

/** Node version the bundles are compiled for: the Lambda runtime `nodejs24.x`. */
export const BUNDLE_TARGET = 'node24';

/** The handler module every function package exports `handler` from, relative to the function's folder. */
export const HANDLER_ENTRY = 'src/handler.ts';

/** Output folder, relative to the function's folder. */
export const DIST_DIR = 'dist';

/** The bundle's file name inside `dist/`; the Lambda handler setting is therefore `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** esbuild's metafile, kept beside the bundle for size inspection (never zipped). */
export const METAFILE_FILE = 'meta.json';

/**
 * The SHA-256 of each repository source the bundle was built from (dependencies under node_modules left out: they
 * change with package-lock.json), beside the bundle and never zipped. The local platform compares them with the
 * sources to tell a stale bundle from one that a checkout merely touched: a restored build cache keeps its old files.
 */
export const SOURCES_FILE = 'sources.json';

/** The parquet-wasm binary, copied beside the bundle when parquet-wasm is bundled. */
export const PARQUET_WASM_FILE = 'parquet_wasm_bg.wasm';

/**
 * Prepended to the ESM bundle so that CommonJS dependencies keep working: esbuild's `require` shim for externals and
 * Node built-ins defers to a `require` in scope, and CJS code reads `__filename`/`__dirname`, none of which exist in
 * an ES module. The helper imports are aliased so they cannot clash with names in the bundled code.
 */
export const CJS_COMPAT_BANNER = [
  "import { createRequire as __tillflowCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tillflowFileURLToPath } from 'node:url';",
  "import { dirname as __tillflowDirname } from 'node:path';",
  'const require = __tillflowCreateRequire(import.meta.url);',
  'const __filename = __tillflowFileURLToPath(import.meta.url);',
  'const __dirname = __tillflowDirname(__filename);',
].join('\n');

/** What {@link bundleFunction} produced. Paths are absolute. */
export interface BundleResult {
  /** Function name: the function folder's name. */
  name: string;
  bundlePath: string;
  bundleBytes: number;
  /** Files copied beside the bundle that the bundle loads at run time (the parquet-wasm binary). */
  assets: { path: string; bytes: number }[];
  metafilePath: string;
}

// wasm-bindgen glue and its binary must come from the same build, so the binary is taken from the folder of the glue
// file esbuild actually bundled (esm/ or node/ build), not from a separate resolution that could pick another copy.
const PARQUET_WASM_GLUE = /(?:^|\/)node_modules\/parquet-wasm\/[^/]+\/parquet_wasm\.js$/;

/**
 * Finds the parquet-wasm glue module among the bundle's inputs.
 * @returns its path relative to the esbuild working directory, or undefined when parquet-wasm is not bundled.
 */
export function findParquetWasmGlue(metafile: Metafile): string | undefined {
  return Object.keys(metafile.inputs).find((input) => PARQUET_WASM_GLUE.test(input));
}

/**
 * Bundles `<functionDir>/src/handler.ts` into `<functionDir>/dist/index.mjs`: one minified ES module for Node 24
 * with everything but {@link RUNTIME_PROVIDED_MODULES} inlined, plus the parquet-wasm binary when it is used, plus
 * `dist/meta.json`. `dist/` is emptied first so that files from an earlier build cannot end up in the zip.
 * The output depends only on the sources: no timestamps, no absolute paths, no source map.
 */
export async function bundleFunction(functionDir: string): Promise<BundleResult> {
  const root = resolve(functionDir);
  const outDir = join(root, DIST_DIR);
  await rm(outDir, { recursive: true, force: true });

  const result = await build({
    // Paths in the metafile and in esbuild's CommonJS wrappers are relative to this, so the output does not depend on
    // where the repository is checked out.
    absWorkingDir: root,
    entryPoints: [HANDLER_ENTRY],
    outfile: join(DIST_DIR, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    // Native modules (package.json `tillflow.nativeModules`) are loaded from node_modules: the zip carries them.
    external: [...RUNTIME_PROVIDED_MODULES, ...nativeModulesOf(root)],
    mainFields: ['module', 'main'],
    banner: { js: CJS_COMPAT_BANNER },
    minify: true,
    treeShaking: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
  });

  const metafilePath = join(outDir, METAFILE_FILE);
  await writeFile(metafilePath, `${JSON.stringify(result.metafile, null, 2)}\n`);
  const sources: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    if (input.includes('node_modules/') || input.startsWith('<')) continue;
    sources[input] = createHash('sha256')
      .update(await readFile(join(root, input)))
      .digest('hex');
  }
  await writeFile(join(outDir, SOURCES_FILE), `${JSON.stringify(sources, null, 2)}\n`);

  const assets: BundleResult['assets'] = [];
  const glue = findParquetWasmGlue(result.metafile);
  if (glue !== undefined) {
    const wasmTarget = join(outDir, PARQUET_WASM_FILE);
    await copyFile(join(root, dirname(glue), PARQUET_WASM_FILE), wasmTarget);
    assets.push({ path: wasmTarget, bytes: (await stat(wasmTarget)).size });
  }

  const bundlePath = join(outDir, BUNDLE_FILE);
  return {
    name: basename(root),
    bundlePath,
    bundleBytes: (await stat(bundlePath)).size,
    assets,
    metafilePath,
  };
}
