import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, type Platform, startTestPlatform } from '../src';
import { runAws } from './aws-cli';

/**
 * An operator's view: the real AWS CLI v2 against the local S3 and DynamoDB. The Debian package's CLI, not the pip
 * CLI v1 some machines have first in PATH.
 */
const fixtures = join(import.meta.dirname, 'fixtures');
let platform: Platform;
let home: string;

beforeAll(async () => {
  // Where the files the CLI copies up and down live (its configuration is aws-cli.ts's own).
  home = mkdtempSync(join(tmpdir(), 'tillflow-aws-cli-files-'));
  platform = await startTestPlatform({
    functionsDir: join(fixtures, 'functions'),
    stateMachinesDir: join(fixtures, 'state-machines'),
    s3Rules: [],
  });
});

afterAll(async () => {
  await platform?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI against one of the platform's servers; resolves with stdout. */
async function aws(
  server: 's3' | 'dynamodb',
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
): Promise<string> {
  return (await run(server, args, credentials)).stdout;
}

function run(
  server: 's3' | 'dynamodb',
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
): Promise<{ stdout: string; stderr: string }> {
  return runAws(platform.endpoints[server], args, credentials);
}

/** Bytes that differ from one offset to the next. */
function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >> 10)) & 0xff;
  return bytes;
}

describe('the AWS CLI against the local S3', () => {
  it('lists the bucket with aws s3 ls', async () => {
    expect(await aws('s3', ['s3', 'ls'])).toContain(platform.bucket);
  });

  it('copies a small file and a 20 MB one (a multipart upload) up and down, byte for byte', async () => {
    const small = join(home, 'small.json');
    const big = join(home, 'big.bin');
    writeFileSync(small, '[{"a":1}]');
    const bigBytes = pattern(20 * 1024 * 1024 + 3);
    writeFileSync(big, bigBytes);
    await aws('s3', ['s3', 'cp', small, `s3://${platform.bucket}/cli/small.json`]);
    // --debug logs each operation: a file over 8 MB goes up in parts.
    const { stderr } = await run('s3', ['s3', 'cp', big, `s3://${platform.bucket}/cli/big.bin`, '--debug']);
    expect(stderr).toContain('CreateMultipartUpload');
    expect(stderr.match(/OperationModel\(name=UploadPart\)/g)?.length).toBe(3);
    expect(stderr).toContain('CompleteMultipartUpload');
    const listing = await aws('s3', ['s3', 'ls', `s3://${platform.bucket}/cli/`]);
    expect(listing).toMatch(/\s9 small\.json/);
    expect(listing).toMatch(new RegExp(`\\s${bigBytes.length} big\\.bin`));
    await aws('s3', ['s3', 'cp', `s3://${platform.bucket}/cli/small.json`, join(home, 'small.down.json')]);
    await aws('s3', ['s3', 'cp', `s3://${platform.bucket}/cli/big.bin`, join(home, 'big.down.bin')]);
    expect(readFileSync(join(home, 'small.down.json'), 'utf8')).toBe('[{"a":1}]');
    expect(readFileSync(join(home, 'big.down.bin')).equals(bigBytes)).toBe(true);
  });

  it('reads an object with aws s3api get-object', async () => {
    const file = join(home, 'get.txt');
    writeFileSync(file, 'hello from the CLI');
    await aws('s3', ['s3', 'cp', file, `s3://${platform.bucket}/cli/get.txt`]);
    const out = join(home, 'got.txt');
    const answer = JSON.parse(
      await aws('s3', ['s3api', 'get-object', '--bucket', platform.bucket, '--key', 'cli/get.txt', out]),
    );
    expect(answer.ContentLength).toBe(18);
    expect(readFileSync(out, 'utf8')).toBe('hello from the CLI');
  });

  it('presigns a GET with aws s3 presign that fetch can follow', async () => {
    const file = join(home, 'presign.txt');
    writeFileSync(file, 'presigned by botocore');
    await aws('s3', ['s3', 'cp', file, `s3://${platform.bucket}/cli/presign.txt`]);
    const url = (
      await aws('s3', ['s3', 'presign', `s3://${platform.bucket}/cli/presign.txt`, '--expires-in', '60'])
    ).trim();
    expect(url).toContain('X-Amz-Signature=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned by botocore');
    const bent = await fetch(url.replace('presign.txt', 'get.txt'));
    expect(bent.status).toBe(403);
  });

  it('fails with SignatureDoesNotMatch when the secret is wrong', async () => {
    const wrong = { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-secret' };
    await expect(aws('s3', ['s3', 'ls', `s3://${platform.bucket}/`], wrong)).rejects.toThrow(/SignatureDoesNotMatch/);
  });
});

describe('the AWS CLI against the local DynamoDB', () => {
  it('lists the tables and scans one', async () => {
    const tables = JSON.parse(await aws('dynamodb', ['dynamodb', 'list-tables']));
    expect(tables.TableNames).toEqual(expect.arrayContaining([platform.tables.sales, platform.tables.idempotency]));
    await platform
      .documentClient()
      .send(
        new PutCommand({ TableName: platform.tables.sales, Item: { PK: 'STORE#cli', SK: 'DATE#2025-10-29', n: 1 } }),
      );
    const scan = JSON.parse(await aws('dynamodb', ['dynamodb', 'scan', '--table-name', platform.tables.sales]));
    expect(scan.Items).toEqual(expect.arrayContaining([expect.objectContaining({ PK: { S: 'STORE#cli' } })]));
  });

  it('fails with InvalidSignatureException when the secret is wrong', async () => {
    const wrong = { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-secret' };
    await expect(aws('dynamodb', ['dynamodb', 'list-tables'], wrong)).rejects.toThrow(/InvalidSignatureException/);
  });
});
