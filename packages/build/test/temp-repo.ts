import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const workspaceNodeModules = resolve(fixturesDir, '../../../../node_modules');

/** A throwaway copy of the repository's shape: a workspace root with functions/<fixture> folders. */
export interface TempRepo {
  root: string;
  functionDir(name: string): string;
  remove(): Promise<void>;
}

/**
 * Copies fixture functions into a fresh repository under the OS temp folder, so that builds never write into this
 * repository. node_modules is a link to the workspace's, so fixtures resolve real packages (parquet-wasm, @aws-sdk).
 */
export async function makeTempRepo(...fixtures: string[]): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), 'tillflow-build-'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'temp-repo', workspaces: ['functions/*'] }));
  await symlink(workspaceNodeModules, join(root, 'node_modules'), 'dir');
  for (const fixture of fixtures) {
    await cp(join(fixturesDir, fixture), join(root, 'functions', fixture), { recursive: true });
  }
  return {
    root,
    functionDir: (name) => join(root, 'functions', name),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** One entry of a zip as read back by yauzl, an independent reader. */
export interface ReadEntry {
  name: string;
  data: Buffer;
  compressionMethod: number;
  lastModFileDate: number;
  lastModFileTime: number;
  unixMode: number;
  extraFieldCount: number;
}

/** Reads every entry of a zip, in the order of its central directory. */
export function readZip(zip: Buffer): Promise<ReadEntry[]> {
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (openError, zipfile) => {
      if (openError || !zipfile) return reject(openError ?? new Error('yauzl gave no zipfile'));
      const entries: ReadEntry[] = [];
      zipfile.on('error', reject);
      zipfile.on('end', () => resolvePromise(entries));
      zipfile.on('entry', (entry: yauzl.Entry) => {
        zipfile.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('yauzl gave no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({
              name: entry.fileName,
              data: Buffer.concat(chunks),
              compressionMethod: entry.compressionMethod,
              lastModFileDate: entry.lastModFileDate,
              lastModFileTime: entry.lastModFileTime,
              unixMode: entry.externalFileAttributes >>> 16,
              extraFieldCount: entry.extraFields.length,
            });
            zipfile.readEntry();
          });
        });
      });
      zipfile.readEntry();
    });
  });
}
