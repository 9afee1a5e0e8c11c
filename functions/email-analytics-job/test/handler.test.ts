import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rowsToParquet } from '@tillflow/columnar';
import { type AnalyticsJobAccepted, type CanonicalRow, processedKey } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

/** One store-day of `n` one-line transactions of 250 cents, 10 off the first: the figures below come from these. */
function day(storeId: string, date: string, n: number): CanonicalRow[] {
  return Array.from({ length: n }, (_, i) => ({
    store_id: storeId,
    business_date: date,
    transaction_id: `TXN-${storeId}-${date.replaceAll('-', '')}-${String(i + 1).padStart(4, '0')}`,
    timestamp_ms: Date.parse(`${date}T10:00:00Z`) + i * 60_000,
    utc_offset_minutes: 0,
    item_sku: 'SKU-1',
    item_name: 'Bread <fresh>',
    quantity: 1,
    unit_price_cents: 250,
    line_total_cents: 250,
    discount_cents: i === 0 ? 10 : 0,
    payment_method: 'cash',
    customer_id: `C-${i}`,
  }));
}
const LAKE = [day('0001', '2025-10-27', 6), day('0002', '2025-10-27', 3)];
const net = (rows: CanonicalRow[]) => rows.reduce((s, r) => s + r.line_total_cents - r.discount_cents, 0);

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
  for (const rows of LAKE) {
    const first = rows[0] as CanonicalRow;
    await platform.s3Client().send(
      new PutObjectCommand({
        Bucket: platform.bucket,
        Key: processedKey({ storeId: first.store_id, date: first.business_date }),
        Body: rowsToParquet(rows),
      }),
    );
  }
}, 120_000);
afterAll(() => platform?.stop());

async function record(id: string) {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `JOB#${id}`, SK: 'JOB' } }));
  return out.Item ?? {};
}

/** The decoded body of an `.eml` (SES writes the parts quoted-printable or base64; both are decoded here). */
function bodyOf(path: string): string {
  const raw = readFileSync(path, 'utf8');
  const qp = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  const b64 = [...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)]
    .map((m) => Buffer.from((m[1] as string).replace(/\s/g, ''), 'base64').toString('utf8'))
    .join('\n');
  return `${qp}\n${b64}`;
}

describe('email-analytics-job in the analytics-job workflow', () => {
  it('emails a succeeded job with its figures as HTML through the local SES, beside the SNS notification', async () => {
    const res = await fetch(`${platform.endpoints.api}/analytics/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'store_ranking', parameters: { from: '2025-10-27', to: '2025-10-27' } }),
    });
    const { job_id: id } = (await res.json()) as AnalyticsJobAccepted;
    await platform.waitForIdle();
    const execution = platform.executions({ machine: 'analytics-job' }).find((e) => e.name === id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(platform.messages('tillflow-analytics-jobs').some((m) => m.message.includes(id))).toBe(true);

    const mail = platform.emails().find((m) => m.subject.includes(id));
    expect(mail?.subject).toBe(`Tillflow analytics job store_ranking succeeded (${id})`);
    const body = bodyOf(mail?.path as string);
    // Store 0001 ranks first with its net sales; the product name is escaped in the HTML part.
    expect(body).toContain(`<td>1</td><td>0001</td><td>${net(LAKE[0] as CanonicalRow[])}</td>`);
    expect(body).toContain(`<td>2</td><td>0002</td><td>${net(LAKE[1] as CanonicalRow[])}</td>`);
    expect(body).toContain('Rows: 2');
    expect((await record(id)).email_message_id).toBe(mail?.messageId);
  });

  it('emails a failed job with its reason, and sends nothing twice for one job', async () => {
    const id = '00000000-0000-4000-8000-00000000e001';
    const now = new Date().toISOString();
    await platform.documentClient().send(
      new PutCommand({
        TableName: platform.tables.sales,
        Item: {
          PK: `JOB#${id}`,
          SK: 'JOB',
          job_id: id,
          operation: 'hourly_profile',
          parameters: { from: '2025-10-27', to: '2025-02-30' },
          status: 'QUEUED',
          requester: 'test',
          engine: 'duckdb',
          created_at: now,
          updated_at: now,
          expires_at: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
    platform.startExecution('analytics-job', { jobId: id }, id);
    await platform.waitForIdle();
    const mails = platform.emails().filter((m) => m.subject.includes(id));
    expect(mails.map((m) => m.subject)).toEqual([`Tillflow analytics job hourly_profile failed (${id})`]);
    const body = bodyOf(mails[0]?.path as string);
    expect(body).toContain('Error: ValidationError');
    expect(body).toContain('Reason: parameters.to: 2025-02-30 is not a calendar date');

    // The step again (a retry): the record has its message id, so nothing more is sent.
    expect(await platform.invoke('email-analytics-job', { jobId: id })).toEqual({
      status: 'skipped',
      reason: 'sent-already',
    });
    expect(platform.emails().filter((m) => m.subject.includes(id))).toHaveLength(1);
  });

  it('refuses an event without a job id as the step contract says', async () => {
    await expect(platform.invoke('email-analytics-job', {})).rejects.toThrow(/jobId/);
  });
});
