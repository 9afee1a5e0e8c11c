import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, type Platform, REGION, startTestPlatform } from '../src';

const fixtures = join(import.meta.dirname, 'fixtures');
let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({
    functionsDir: join(fixtures, 'functions'),
    stateMachinesDir: join(fixtures, 'state-machines'),
    // Nothing here is a store upload: no workflow starts.
    s3Rules: [],
  });
});

afterAll(() => platform?.stop());

/** Bytes that differ from one offset to the next, so that a shifted or framed copy cannot pass for them. */
function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

async function read(key: string, s3 = platform.s3Client()): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** A client of the platform's S3 with other credentials. */
function clientWith(accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({
    region: REGION,
    endpoint: platform.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

async function s3Failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the request was accepted');
}

describe('the local S3 with the SDK default client', () => {
  it('signs with test/test unless TILLFLOW_ACCESS_KEY_ID and TILLFLOW_SECRET_ACCESS_KEY say otherwise', () => {
    expect(LOCAL_CREDENTIALS).toMatchObject({
      accessKeyId: process.env.TILLFLOW_ACCESS_KEY_ID || 'test',
      secretAccessKey: process.env.TILLFLOW_SECRET_ACCESS_KEY || 'test',
    });
    expect(platform.env.AWS_ACCESS_KEY_ID).toBe(LOCAL_CREDENTIALS.accessKeyId);
    expect(platform.env.AWS_SECRET_ACCESS_KEY).toBe(LOCAL_CREDENTIALS.secretAccessKey);
  });

  it('puts, gets, lists page by page and deletes, with the default checksums', async () => {
    const s3 = platform.s3Client();
    const keys = ['list/a.json', 'list/b c.json', 'list/d=1/e+f.json', 'list/g.json', 'list/h.json'];
    for (const [i, key] of keys.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: `{"i":${i}}` }));
    }
    expect((await read('list/b c.json')).toString()).toBe('{"i":1}');
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 2 },
      { Bucket: platform.bucket, Prefix: 'list/' },
    )) {
      pages.push((page.Contents ?? []).map((o) => o.Key!));
    }
    expect(pages).toHaveLength(3);
    expect(pages.flat().sort()).toEqual([...keys].sort());
    await s3.send(new DeleteObjectCommand({ Bucket: platform.bucket, Key: 'list/a.json' }));
    const left = await s3.send(new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: 'list/' }));
    expect(left.KeyCount).toBe(4);
  });

  it('stores a streamed upload of a few MB (aws-chunked, CRC32 trailer) as its plain bytes', async () => {
    const bytes = pattern(3 * 1024 * 1024 + 17);
    const parts = [bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000, 2_500_000), bytes.subarray(2_500_000)];
    await platform.s3Client().send(
      new PutObjectCommand({
        Bucket: platform.bucket,
        Key: 'stream/big.bin',
        Body: Readable.from(parts),
        ContentLength: bytes.length,
      }),
    );
    const head = await platform
      .s3Client()
      .send(new HeadObjectCommand({ Bucket: platform.bucket, Key: 'stream/big.bin' }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(head.ContentEncoding).toBeUndefined();
    expect((await read('stream/big.bin')).equals(bytes)).toBe(true);
  });

  it('answers response-* overrides, which s3rver allows only on requests it counts as authenticated', async () => {
    await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'override.txt', Body: 'x' }));
    const out = await platform
      .s3Client()
      .send(new GetObjectCommand({ Bucket: platform.bucket, Key: 'override.txt', ResponseContentType: 'text/csv' }));
    expect(out.ContentType).toBe('text/csv');
  });
});

describe('requests the local S3 refuses', () => {
  it('refuses anonymous GET, PUT and DELETE with 403 AccessDenied, and changes nothing', async () => {
    await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: 'private.txt', Body: 'mine' }));
    const url = `${platform.endpoints.s3}/${platform.bucket}/private.txt`;
    for (const init of [{ method: 'GET' }, { method: 'PUT', body: 'theirs' }, { method: 'DELETE' }]) {
      const res = await fetch(url, init);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    }
    expect((await fetch(`${platform.endpoints.s3}/${platform.bucket}?list-type=2`)).status).toBe(403);
    expect((await read('private.txt')).toString()).toBe('mine');
  });

  it('refuses an upload whose body does not match its checksum with BadDigest, and stores nothing', async () => {
    const put = new PutObjectCommand({
      Bucket: platform.bucket,
      Key: 'digest/wrong.txt',
      Body: 'hello world',
      ChecksumCRC32: 'AAAAAA==',
    });
    expect(await s3Failure(platform.s3Client().send(put))).toEqual({ name: 'BadDigest', status: 400 });
    const listed = await platform
      .s3Client()
      .send(new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: 'digest/' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('answers a browser preflight (OPTIONS) unsigned, from the bucket CORS rules', async () => {
    const res = await fetch(`${platform.endpoints.s3}/${platform.bucket}/private.txt`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
    const get = new GetObjectCommand({ Bucket: platform.bucket, Key: 'private.txt' });
    const wrongSecret = clientWith(LOCAL_CREDENTIALS.accessKeyId, `${LOCAL_CREDENTIALS.secretAccessKey}-wrong`);
    expect(await s3Failure(wrongSecret.send(get))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    const put = new PutObjectCommand({ Bucket: platform.bucket, Key: 'private.txt', Body: 'theirs' });
    expect(await s3Failure(wrongSecret.send(put))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    const unknownKey = clientWith('S3RVER', 'S3RVER');
    expect(await s3Failure(unknownKey.send(get))).toEqual({ name: 'InvalidAccessKeyId', status: 403 });
    wrongSecret.destroy();
    unknownKey.destroy();
  });

  it('refuses DynamoDB requests that are unsigned or signed with a wrong secret', async () => {
    const anonymous = await fetch(platform.endpoints.dynamodb, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(anonymous.status).toBe(400);
    expect(await anonymous.json()).toMatchObject({ __type: expect.stringContaining('MissingAuthenticationToken') });
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const wrong = new DynamoDBClient({
      region: REGION,
      endpoint: platform.endpoints.dynamodb,
      credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    expect(await s3Failure(wrong.send(new ListTablesCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      status: 400,
    });
    wrong.destroy();
    const tables = await platform.dynamoClient().send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(platform.tables.sales);
  });
});

describe('presigned URLs of the JavaScript SDK', () => {
  // As presignPut (packages/aws/src/s3.ts) does: a default client would sign an empty body's checksum into a PUT.
  const presigner = (): S3Client =>
    new S3Client({
      region: REGION,
      endpoint: platform.endpoints.s3,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });

  it('writes and reads through presigned PUT and GET URLs', async () => {
    const s3 = presigner();
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: platform.bucket, Key: 'presigned/a.json', ContentType: 'application/json' }),
      { expiresIn: 60, signableHeaders: new Set(['content-type']) },
    );
    const written = await fetch(put, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[1]' });
    expect(written.status).toBe(200);
    const get = await getSignedUrl(
      platform.s3Client(),
      new GetObjectCommand({ Bucket: platform.bucket, Key: 'presigned/a.json' }),
      {
        expiresIn: 60,
      },
    );
    const got = await fetch(get);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('[1]');
    s3.destroy();
  });

  it('refuses an expired URL with 403 AccessDenied, "Request has expired"', async () => {
    const get = await getSignedUrl(
      platform.s3Client(),
      new GetObjectCommand({ Bucket: platform.bucket, Key: 'presigned/a.json' }),
      { expiresIn: 60, signingDate: new Date(Date.now() - 61_000) },
    );
    const res = await fetch(get);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('Request has expired');
  });
});
