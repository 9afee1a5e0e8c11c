import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipFunction } from '@tillflow/build';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open as openZip } from 'yauzl';
import { type Platform, REPO_ROOT, startTestPlatform } from '../src';

// The unzipped function lives under the repository so that the bundle resolves `@aws-sdk/*` from node_modules, as
// the Lambda runtime provides them; a folder of its own so that the test never touches dist/functions/.
const root = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cache', 'tillflow-zipped-'));
const functionsDir = join(root, 'functions');
const emptyMachines = mkdtempSync(join(tmpdir(), 'tillflow-no-machines-'));
const event = { bucket: 'tillflow-local', key: 'uploads/store_0004_2025-10-29.json', etag: 'e-zipped-bundle' };

/** The entries of a zip, as Lambda unpacks it into its task root. */
function unzip(zipPath: string, into: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    openZip(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            writeFileSync(join(into, entry.fileName), Buffer.concat(chunks));
            names.push(entry.fileName);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

/** A port nothing listens on: the connection is refused, as with an S3 endpoint that is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let entries: string[] = [];

beforeAll(async () => {
  const zipped = await zipFunction(join(REPO_ROOT, 'functions', 'process-upload'), { outDir: join(root, 'zips') });
  const taskRoot = join(functionsDir, 'process-upload', 'dist');
  mkdirSync(taskRoot, { recursive: true });
  entries = await unzip(zipped.zipPath, taskRoot);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(emptyMachines, { recursive: true, force: true });
});

describe('the zipped process-upload, as Lambda runs it', () => {
  let platform: Platform | undefined;
  afterAll(async () => platform?.stop());

  it('throws TransientError, the name every Task retries, when S3 refuses connections', async () => {
    expect(entries).toContain('index.mjs');
    platform = await startTestPlatform({
      functionsDir,
      stateMachinesDir: emptyMachines,
      env: { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${await deadPort()}`, AWS_MAX_ATTEMPTS: '1' },
    });
    await expect(platform.invoke('process-upload', event)).rejects.toMatchObject({
      name: 'TransientError',
      errorType: 'TransientError',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await platform.stop();
    platform = undefined;
  });

  it('fails its cold start with ConfigError, naming the variable, when the configuration is wrong', async () => {
    platform = await startTestPlatform({ functionsDir, stateMachinesDir: emptyMachines, env: { BUCKET_NAME: 'x' } });
    await expect(platform.invoke('process-upload', event)).rejects.toMatchObject({
      errorType: 'ConfigError',
      message: expect.stringContaining('BUCKET_NAME'),
    });
  });
});
