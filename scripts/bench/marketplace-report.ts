/**
 * A large marketplace report through process-upload's bundle: time and peak memory. Usage:
 *   npx tsx scripts/bench/marketplace-report.ts [--mb 70] [--seed 7]
 *
 * Generates a report of about `--mb` MB (scripts/marketplace-data.ts, the quirks of real exports included), puts it
 * in a local platform's bucket, then runs `functions/process-upload/dist/index.mjs` (build it first) in a fresh
 * `node` process with Lambda's heap bound for 1,024 MB (`--max-old-space-size=1024`) and the platform's endpoints,
 * and reports the wall time, the peak resident set (getrusage maxRSS, which counts WebAssembly memory too) and the
 * result. The process is the function's alone: the platform's servers run in this process and s3rver's.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startTestPlatform } from '@tillflow/local';
import { generateMarketplaceLines, serializeMarketplaceReport } from '../marketplace-data';

const ROOT = resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: { mb: { type: 'string', default: '70' }, seed: { type: 'string', default: '7' } },
  strict: true,
});
const targetBytes = Number(values.mb) * 1e6;
// About 222 bytes a line and 1.1 lines an order (measured on the generator's output).
const orders = Math.ceil(targetBytes / 222 / 1.1);
const lines = generateMarketplaceLines({
  orders,
  start: '2022-04-01',
  days: 91,
  seed: Number(values.seed),
  badLines: 50,
});
const body = serializeMarketplaceReport(lines);
const size = Buffer.byteLength(body);
console.log(`report: ${lines.length} lines, ${(size / 1e6).toFixed(1)} MB`);

const platform = await startTestPlatform({ s3Rules: [] });
try {
  const key = 'uploads/marketplace/amazon/bench.csv';
  const put = await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
  const event = { bucket: platform.bucket, key, etag: (put.ETag ?? '').replaceAll('"', ''), size };
  const runner = `
    const { handler } = await import(${JSON.stringify(`file://${ROOT}/functions/process-upload/dist/index.mjs`)});
    const started = performance.now();
    const context = { functionName: 'process-upload', awsRequestId: 'bench', getRemainingTimeInMillis: () => 240000 };
    const result = await handler(${JSON.stringify(event)}, context);
    const ms = performance.now() - started;
    console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, result }));`;
  // Asynchronous: the platform's DynamoDB (the idempotency records) answers from this process's event loop.
  const { stdout: out } = await promisify(execFile)(
    process.execPath,
    ['--max-old-space-size=1024', '--input-type=module', '-e', runner],
    {
      env: { ...process.env, ...platform.env, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'WARN' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const { ms, maxRssMb, result } = JSON.parse(out.trim().split('\n').at(-1) as string);
  console.log(
    `process-upload: ${(ms / 1000).toFixed(1)} s, ${(size / 1e6 / (ms / 1000)).toFixed(1)} MB/s, peak RSS ${maxRssMb.toFixed(0)} MB`,
  );
  console.log(JSON.stringify(result));
} finally {
  await platform.stop();
}
