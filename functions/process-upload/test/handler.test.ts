import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parquetToRows } from '@tillflow/columnar';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessedUpload, RejectedUpload, UploadResult } from '../src/process';

let platform: Platform;

beforeAll(async () => {
  // No S3 rule: the test invokes the function itself, as the workflow would.
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

const line = (tx: string, extra: object = {}) => ({
  transaction_id: tx,
  transaction_timestamp: '2025-10-29T10:00:00Z',
  item_sku: 'SKU-1',
  item_name: 'Thing',
  quantity: 2,
  unit_price: 1.5,
  line_total: 3,
  discount_amount: 0,
  payment_method: 'debit',
  customer_id: 'CUST-1',
  ...extra,
});

async function upload(key: string, body: string) {
  const out = await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
  return (out.ETag ?? '').replaceAll('"', '');
}

async function read(key: string): Promise<Uint8Array> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

describe('process-upload', () => {
  const key = 'uploads/store_0009_2025-10-29.json';

  it('writes valid rows to processed/ and rejected ones to rejected/, and counts every line', async () => {
    const etag = await upload(key, JSON.stringify([line('T1'), line('T2', { quantity: -1 }), line('T3')]));
    const result = (await platform.invoke('process-upload', { bucket: platform.bucket, key, etag })) as ProcessedUpload;
    expect(result).toMatchObject({
      status: 'processed',
      storeId: '0009',
      date: '2025-10-29',
      lines: 3,
      accepted: 2,
      rejected: 1,
    });
    expect(result.accepted + result.rejected).toBe(result.lines);
    const rows = parquetToRows(await read(result.processedKey!));
    expect(rows.map((r) => r.transaction_id)).toEqual(['T1', 'T3']);
    const rejected = JSON.parse(new TextDecoder().decode(await read(result.rejectedKey!)));
    expect(rejected.records).toEqual([
      {
        line: 2,
        record: line('T2', { quantity: -1 }),
        reasons: [{ field: 'quantity', rule: 'minimum', message: expect.any(String) }],
      },
    ]);
  });

  it('returns the stored result for a duplicate delivery and writes nothing again', async () => {
    const etag = await upload(key, JSON.stringify([line('T1')]));
    const event = { bucket: platform.bucket, key, etag };
    const first = (await platform.invoke('process-upload', event)) as ProcessedUpload;
    await platform.s3Client().send(new DeleteObjectCommand({ Bucket: platform.bucket, Key: first.processedKey }));
    const second = await platform.invoke('process-upload', event);
    expect(second).toEqual(first);
    await expect(read(first.processedKey!)).rejects.toThrow(/NoSuchKey|does not exist/);
  });

  it('drops the previous rejections when a corrected file has none', async () => {
    const etag = await upload(key, JSON.stringify([line('T7')]));
    const result = (await platform.invoke('process-upload', { bucket: platform.bucket, key, etag })) as ProcessedUpload;
    expect(result.rejectedKey).toBeUndefined();
    await expect(read('rejected/date=2025-10-29/store=0009/store_0009_2025-10-29.rejected.json')).rejects.toThrow();
  });

  it('rejects a file over the size limit whole, from the event, without reading it', async () => {
    const k = 'uploads/store_0011_2025-10-29.json';
    const etag = await upload(k, JSON.stringify([line('T1')]));
    const result = (await platform.invoke('process-upload', {
      bucket: platform.bucket,
      key: k,
      etag,
      size: 3 * 1024 * 1024 * 1024,
    })) as RejectedUpload;
    expect(result).toMatchObject({ status: 'rejected', storeId: '0011', lines: 0, accepted: 0 });
    expect(result.reason).toMatch(/over the limit/);
    const report = JSON.parse(new TextDecoder().decode(await read(result.rejectedKey!)));
    expect(report.reason).toBe(result.reason);
  });

  it('rejects a file with no valid line as a whole, without Parquet', async () => {
    const k = 'uploads/store_0010_2025-10-29.json';
    const etag = await upload(k, JSON.stringify([line('T1', { payment_method: 'iou' })]));
    const result = (await platform.invoke('process-upload', {
      bucket: platform.bucket,
      key: k,
      etag,
    })) as RejectedUpload;
    expect(result).toMatchObject({
      status: 'rejected',
      lines: 1,
      accepted: 0,
      rejected: 1,
      reason: 'no line of the file is valid',
    });
    expect('processedKey' in result).toBe(false);
  });
});
