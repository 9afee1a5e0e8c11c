import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parseUploadKey, type RejectionReport, rejectedKey } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodLine, type HostileFile, hostileCorpus, positionedVariants } from './hostile-corpus';

let platform: Platform;
const corpus: HostileFile[] = [...hostileCorpus(), ...positionedVariants()];

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

/** The rejection report at `key`; an empty report when there is none (the checks then name the file). */
async function read(key: string | undefined): Promise<string> {
  if (!key) return '{"records":[],"reasons":[]}';
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return out.Body?.transformToString() ?? '';
}

async function put(key: string, body: Uint8Array | string): Promise<void> {
  await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
}

/** The key an execution's input names, decoded as S3 events encode it. */
function eventKey(input: string): string {
  const key = (JSON.parse(input) as { detail: { object: { key: string } } }).detail.object.key;
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

describe('the hostile corpus through upload-processor (issue 9, part 1)', () => {
  it(`rejects each of the ${corpus.length} hostile files with a report naming the field and line, and no execution fails`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    for (let i = 0; i < corpus.length; i += 20) {
      await Promise.all(corpus.slice(i, i + 20).map((f) => put(f.key, f.body)));
    }
    await platform.waitForIdle({ timeoutMs: 600_000 });
    const runs = platform.executions({ machine: 'upload-processor' });
    expect(runs.filter((r) => r.status !== 'SUCCEEDED').map((r) => [eventKey(r.input), r.error, r.cause])).toEqual([]);
    const byKey = new Map(runs.map((r) => [eventKey(r.input), JSON.parse(r.output ?? '{}')]));
    const failures: string[] = [];
    for (const file of corpus) {
      const output = byKey.get(file.key);
      if (!output) {
        failures.push(`${file.name}: no execution`);
        continue;
      }
      const expected = file.expect;
      if (expected.kind !== 'line') {
        if (output.status !== 'rejected' || !expected.reason.test(output.reason)) {
          failures.push(`${file.name}: ${JSON.stringify(output)}`);
        }
        if (expected.kind === 'unattributed' && !String(output.rejectedKey).startsWith('rejected/unattributed/')) {
          failures.push(`${file.name}: report at ${output.rejectedKey}`);
        }
        const report = JSON.parse(await read(output.rejectedKey)) as RejectionReport;
        if (report.source_key !== file.key) failures.push(`${file.name}: report of ${report.source_key}`);
        continue;
      }
      // The workflow's output names no report for a processed file: it is at the store-day's rejected key.
      const report = JSON.parse(await read(rejectedKey(parseUploadKey(file.key)))) as RejectionReport;
      const line = report.records.find((r) => r.line === expected.line);
      const named = line?.reasons.some((r) => r.field === expected.field && r.rule === expected.rule);
      const counted = report.reasons.some((r) => r.rule === expected.rule && r.first_line <= expected.line);
      if (!named || !counted || output.accepted !== expected.accepted || report.accepted !== expected.accepted) {
        failures.push(`${file.name}: ${JSON.stringify({ output, line, reasons: report.reasons }).slice(0, 600)}`);
      }
      if (report.lines !== report.accepted + report.rejected) failures.push(`${file.name}: counts do not add up`);
    }
    expect(failures).toEqual([]);
  }, 900_000);

  it('processes a good file uploaded after the corpus normally', async () => {
    const key = 'uploads/store_0002_2025-10-29.json';
    const lines = [goodLine('G1'), goodLine('G1', { item_sku: 'SKU-2' }), goodLine('G2', { payment_method: 'cash' })];
    await put(key, JSON.stringify(lines));
    await platform.waitForIdle();
    const run = platform.executions({ machine: 'upload-processor' }).find((r) => eventKey(r.input) === key);
    expect(run?.status).toBe('SUCCEEDED');
    expect(JSON.parse(run?.output ?? '{}')).toMatchObject({ status: 'processed', accepted: 3, rejected: 0 });
    const item = await platform
      .documentClient()
      .send(new GetCommand({ TableName: 'tillflow-sales', Key: { PK: 'STORE#0002', SK: 'DATE#2025-10-29' } }));
    // Three lines of 9.00 with 0.50 off each, two transactions.
    expect(item.Item).toMatchObject({ gross_sales: 27, discounts: 1.5, net_sales: 25.5, transactions: 2, lines: 3 });
  }, 120_000);

  it('carries the figures of ten best sellers with the longest names allowed, far under the 256 KB of a state', async () => {
    const key = 'uploads/store_0003_2025-10-29.json';
    const name = (i: number) => `${String(i)}${'🍄'.repeat(127)}`; // 256 UTF-16 units, 4 UTF-8 bytes an emoji
    const lines = Array.from({ length: 12 }, (_, i) =>
      goodLine(`B${i}`, { item_sku: `${'S'.repeat(60)}-${String(i).padStart(3, '0')}`, item_name: name(i) }),
    );
    await put(key, JSON.stringify(lines));
    await platform.waitForIdle();
    const run = platform.executions({ machine: 'upload-processor' }).find((r) => eventKey(r.input) === key);
    expect(run?.status).toBe('SUCCEEDED');
    const item = await platform
      .documentClient()
      .send(new GetCommand({ TableName: 'tillflow-sales', Key: { PK: 'STORE#0003', SK: 'DATE#2025-10-29' } }));
    expect(item.Item?.top_products).toHaveLength(10);
    // These figures are what travels from process-upload to write-metrics in the state.
    expect(Buffer.byteLength(JSON.stringify(item.Item?.top_products))).toBeLessThan(16 * 1024);
  }, 120_000);
});
