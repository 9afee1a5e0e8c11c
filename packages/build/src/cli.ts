#!/usr/bin/env -S node --import tsx
import { relative } from 'node:path';
import { bundleFunction } from './bundle';
import { zipFunction } from './zip';

const USAGE = `usage: tillflow-build <bundle|zip>
  bundle  esbuild src/handler.ts of the function in the current folder into dist/index.mjs
  zip     zip dist/ of the function in the current folder into <repo>/dist/functions/<name>.zip`;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

async function main(command: string | undefined): Promise<number> {
  const cwd = process.cwd();
  switch (command) {
    case 'bundle': {
      const result = await bundleFunction(cwd);
      const assets = result.assets.map((a) => `, ${relative(cwd, a.path)} ${formatBytes(a.bytes)}`).join('');
      console.log(`${result.name}: ${relative(cwd, result.bundlePath)} ${formatBytes(result.bundleBytes)}${assets}`);
      return 0;
    }
    case 'zip': {
      const result = await zipFunction(cwd);
      console.log(
        `${result.name}: ${relative(cwd, result.zipPath)} ${formatBytes(result.zipBytes)} ` +
          `[${result.entries.join(', ')}] sha256 ${result.sha256}`,
      );
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`tillflow-build ${process.argv[2]}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
