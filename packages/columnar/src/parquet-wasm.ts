import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as parquet from 'parquet-wasm/esm';

/**
 * The file name of parquet-wasm's WebAssembly module. A bundle must ship this file next to itself: @tillflow/build
 * copies it from the parquet-wasm build that esbuild bundled.
 */
export const PARQUET_WASM_FILE = 'parquet_wasm_bg.wasm';

/** Absolute path of the WebAssembly module inside node_modules (parquet-wasm's ESM build). */
export function parquetWasmSourcePath(): string {
  return createRequire(import.meta.url).resolve(`parquet-wasm/esm/${PARQUET_WASM_FILE}`);
}

let initialized = false;

/**
 * parquet-wasm, initialised on first use. The module is compiled synchronously (about 50 ms for 4.8 MB) so that the
 * converters can stay synchronous and a Lambda that never touches Parquet never pays for it.
 *
 * Where the module is found: next to this file first, which is where it sits in a deployed bundle (esbuild does
 * not rewrite `new URL(…, import.meta.url)`, so the URL is the bundle's own folder), then in node_modules, which is
 * where it sits when the source runs under tsx or Vitest.
 */
export function parquetWasm(): typeof parquet {
  if (!initialized) {
    parquet.initSync({ module: readFileSync(locateParquetWasm()) });
    initialized = true;
  }
  return parquet;
}

function locateParquetWasm(): string {
  const beside = fileURLToPath(new URL(`./${PARQUET_WASM_FILE}`, import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    return parquetWasmSourcePath();
  } catch (error) {
    throw new Error(
      `${PARQUET_WASM_FILE} is neither next to the code (${beside}) nor resolvable from parquet-wasm; ` +
        'a bundle must ship it beside itself',
      { cause: error },
    );
  }
}
