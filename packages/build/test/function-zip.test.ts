import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleFunction } from '../src/bundle';
import { zipFunction } from '../src/zip';
import { makeTempRepo, readZip, type TempRepo } from './temp-repo';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const FUNCTION = 'calculate-metrics';
const MARK = '@@outcome ';

/** What the child process saw: the import failed, the handler threw, or it returned. */
type Outcome = { phase: 'import' | 'invoke'; name: string; message: string } | { phase: 'returned'; result: unknown };

/** A TCP port on 127.0.0.1 that refuses connections: opened by a server that is then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('the server had no TCP address');
  return address.port;
}

/**
 * Imports the extracted bundle in a fresh `node` process with only `env` in its environment, as the Lambda runtime
 * does at a cold start, and invokes its handler once. Not in Vitest's module runner, which would give the module a
 * `require` and `__dirname` of its own and resolve classes through the sources.
 */
async function coldInvoke(bundle: string, env: Record<string, string>, event: unknown): Promise<Outcome> {
  const context = {
    functionName: FUNCTION,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'bundle-test-request',
    logGroupName: `/aws/lambda/${FUNCTION}`,
    logStreamName: 'bundle-test',
  };
  const script = `
const report = (outcome) => process.stdout.write('\\n${MARK}' + JSON.stringify(outcome) + '\\n');
let module;
try {
  module = await import(${JSON.stringify(pathToFileURL(bundle).href)});
} catch (error) {
  report({ phase: 'import', name: error.name, message: error.message });
  process.exit(0);
}
const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 60000 };
try {
  report({ phase: 'returned', result: await module.handler(${JSON.stringify(event)}, context) });
} catch (error) {
  report({ phase: 'invoke', name: error.name, message: error.message });
}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`the child process reported nothing:\n${stdout}`);
  return JSON.parse(line.slice(MARK.length)) as Outcome;
}

describe(`the zipped ${FUNCTION} bundle, run as Lambda would run it`, () => {
  let repo: TempRepo;
  let bundle: string;
  const event = {
    processedKey: 'processed/sales/date=2025-10-01/store=0001/store_0001_2025-10-01.parquet',
    storeId: '0001',
    date: '2025-10-01',
  };
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    BUCKET_NAME: 'tillflow-bundle-test',
  };

  beforeAll(async () => {
    // The function's sources in a throwaway repository, so that nothing is written into this one's dist/ (which a
    // parallel `turbo run package` may be writing); its node_modules links to this repository's.
    repo = await makeTempRepo();
    const functionDir = repo.functionDir(FUNCTION);
    await cp(join(REPO_ROOT, 'functions', FUNCTION, 'src'), join(functionDir, 'src'), { recursive: true });
    await cp(join(REPO_ROOT, 'functions', FUNCTION, 'package.json'), join(functionDir, 'package.json'));
    await bundleFunction(functionDir);
    const zip = await zipFunction(functionDir, { outDir: join(repo.root, 'zips') });

    // What Lambda unpacks into /var/task; `@aws-sdk/*`, left out of the bundle, resolves through the repository's
    // node_modules as it does from the runtime's own in AWS.
    const task = join(repo.root, 'task');
    await mkdir(task);
    for (const entry of await readZip(await readFile(zip.zipPath))) await writeFile(join(task, entry.name), entry.data);
    expect(zip.entries).toContain(BUNDLE_FILE);
    bundle = join(task, BUNDLE_FILE);
  }, 120_000);

  afterAll(async () => {
    await repo?.remove();
  });

  it('fails with TransientError, the name every Task retries, when S3 refuses the connection', async () => {
    const port = await refusedPort();
    const outcome = await coldInvoke(bundle, { ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` }, event);
    expect(outcome).toMatchObject({ phase: 'invoke', name: 'TransientError' });
    expect(outcome.phase !== 'returned' && outcome.message).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('fails its cold start with ConfigError naming the variable when BUCKET_NAME is missing', async () => {
    const { BUCKET_NAME: _missing, ...withoutBucket } = env;
    const outcome = await coldInvoke(bundle, withoutBucket, event);
    expect(outcome).toMatchObject({ phase: 'import', name: 'ConfigError' });
    expect(outcome.phase !== 'returned' && outcome.message).toMatch(/BUCKET_NAME/);
  }, 60_000);
});
