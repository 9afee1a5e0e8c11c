import { createHmac } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { decodeAwsChunked } from '../src/servers/aws-chunked';
import { type ArrivedRequest, sha256Hex, verifySignature } from '../src/servers/sigv4';

// The example key pair and requests of the SigV4 documentation for S3 (signed on 2013-05-24 at midnight UTC): test
// vectors computed by AWS, not by the signer the verifier uses.
const EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EXAMPLE_NOW = new Date('2013-05-24T00:00:00Z');
const s3Options = { service: 's3', credentials: EXAMPLE, uriEscapePath: false, now: EXAMPLE_NOW };
const EMPTY = sha256Hex('');

function exampleGet(signature = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'): ArrivedRequest {
  return {
    method: 'GET',
    url: '/test.txt',
    headers: {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': EMPTY,
      'x-amz-date': '20130524T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        `SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
    },
  };
}

const EXAMPLE_PRESIGNED =
  '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F' +
  'aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=' +
  'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

describe('verifySignature', () => {
  it('accepts the documented header-signed GET, and refuses it changed, under another key or secret, or late', async () => {
    expect(await verifySignature(exampleGet(), s3Options)).toMatchObject({ ok: true, context: { form: 'header' } });
    const changed = exampleGet();
    changed.headers.range = 'bytes=0-10';
    expect(await verifySignature(changed, s3Options)).toMatchObject({ ok: false, refusal: 'mismatch' });
    const otherSecret = { ...s3Options, credentials: { ...EXAMPLE, secretAccessKey: 'other' } };
    expect(await verifySignature(exampleGet(), otherSecret)).toMatchObject({ ok: false, refusal: 'mismatch' });
    const otherKey = { ...s3Options, credentials: { ...EXAMPLE, accessKeyId: 'test' } };
    expect(await verifySignature(exampleGet(), otherKey)).toMatchObject({ ok: false, refusal: 'unknown-key' });
    const late = { ...s3Options, now: new Date('2013-05-24T00:16:00Z') };
    expect(await verifySignature(exampleGet(), late)).toMatchObject({ ok: false, refusal: 'skewed' });
    const dynamodb = { ...s3Options, service: 'dynamodb' };
    expect(await verifySignature(exampleGet(), dynamodb)).toMatchObject({ ok: false, refusal: 'malformed' });
    const anonymous = { method: 'GET', url: '/test.txt', headers: { host: 'examplebucket.s3.amazonaws.com' } };
    expect(await verifySignature(anonymous, s3Options)).toMatchObject({ ok: false, refusal: 'missing' });
  });

  it('accepts the documented presigned GET (botocore form: no payload hash in the query) until it expires', async () => {
    const request = { method: 'GET', url: EXAMPLE_PRESIGNED, headers: { host: 'examplebucket.s3.amazonaws.com' } };
    expect(await verifySignature(request, s3Options)).toMatchObject({ ok: true, context: { form: 'query' } });
    const lastSecond = { ...s3Options, now: new Date('2013-05-25T00:00:00Z') };
    expect(await verifySignature(request, lastSecond)).toMatchObject({ ok: true });
    const after = { ...s3Options, now: new Date('2013-05-25T00:00:01Z') };
    expect(await verifySignature(request, after)).toMatchObject({ ok: false, refusal: 'expired' });
    const otherKey = { ...request, url: request.url.replace('/test.txt', '/other.txt') };
    expect(await verifySignature(otherKey, s3Options)).toMatchObject({ ok: false, refusal: 'mismatch' });
  });

  const local = { accessKeyId: 'test', secretAccessKey: 'test' };
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4569',
    forcePathStyle: true,
    credentials: local,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const localOptions = { service: 's3', credentials: local, uriEscapePath: false };

  /** The request a client sends for a presigned URL, with the given headers. */
  function requestFor(url: string, method: string, headers: Record<string, string> = {}): ArrivedRequest {
    const u = new URL(url);
    return { method, url: u.pathname + u.search, headers: { host: u.host, ...headers } };
  }

  it('accepts what the JavaScript SDK presigned, keys with spaces, = and + included', async () => {
    const key = 'processed/sales/date=2025-10-29/store=0001/a b+c.parquet';
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'tillflow-local', Key: key }), { expiresIn: 60 });
    expect(get).toContain('X-Amz-Content-Sha256=UNSIGNED-PAYLOAD');
    expect(await verifySignature(requestFor(get, 'GET'), localOptions)).toMatchObject({ ok: true });
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/x.json', ContentType: 'application/json' }),
      { expiresIn: 3600, signableHeaders: new Set(['content-type']) },
    );
    const headers = { 'content-type': 'application/json' };
    expect(await verifySignature(requestFor(put, 'PUT', headers), localOptions)).toMatchObject({ ok: true });
  });

  it('refuses a JavaScript SDK presigned URL with another method, key, signed header value, expiry or secret', async () => {
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/x.json', ContentType: 'application/json' }),
      { expiresIn: 600, signableHeaders: new Set(['content-type']) },
    );
    const headers = { 'content-type': 'application/json' };
    const refused = [
      requestFor(put, 'GET', headers),
      requestFor(put.replace('uploads/x.json', 'uploads/y.json'), 'PUT', headers),
      requestFor(put, 'PUT', { 'content-type': 'text/plain' }),
      requestFor(put, 'PUT'),
      requestFor(put.replace('X-Amz-Expires=600', 'X-Amz-Expires=6000'), 'PUT', headers),
    ];
    for (const request of refused) {
      expect(await verifySignature(request, localOptions)).toMatchObject({ ok: false, refusal: 'mismatch' });
    }
    const otherSecret = { ...localOptions, credentials: { ...local, secretAccessKey: 'other' } };
    expect(await verifySignature(requestFor(put, 'PUT', headers), otherSecret)).toMatchObject({ refusal: 'mismatch' });
  });
});

describe('decodeAwsChunked', () => {
  // The documented signed streaming PUT: 66,560 bytes of "a" in chunks of 64 KiB, 1 KiB and 0, each signature chained
  // from the request's (the seed).
  const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
  const chunkSignatures = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const sizes = [65536, 1024, 0];
  const body = Buffer.concat(
    sizes.map((size, i) =>
      Buffer.from(`${size.toString(16)};chunk-signature=${chunkSignatures[i]}\r\n${'a'.repeat(size)}\r\n`),
    ),
  );

  /** The signing context the documented request yields, with an HMAC written here, apart from the SDK's signer. */
  function context(signature = seed) {
    let key: Buffer | string = `AWS4${EXAMPLE.secretAccessKey}`;
    for (const part of ['20130524', 'us-east-1', 's3', 'aws4_request'])
      key = createHmac('sha256', key).update(part).digest();
    return {
      form: 'header' as const,
      longDate: '20130524T000000Z',
      scope: '20130524/us-east-1/s3/aws4_request',
      signature,
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      sign: async (text: string) => createHmac('sha256', key).update(text).digest('hex'),
    };
  }

  it('decodes the documented signed body to its bytes, checking every chunk signature', async () => {
    const decoded = await decodeAwsChunked(body, context());
    expect(decoded).toMatchObject({ ok: true });
    if (decoded.ok) expect(decoded.data.equals(Buffer.alloc(66560, 'a'))).toBe(true);
  });

  it('refuses the body changed, cut, or chained from another seed', async () => {
    const changed = Buffer.from(body);
    changed[200] = 'b'.charCodeAt(0);
    expect(await decodeAwsChunked(changed, context())).toMatchObject({ ok: false, problem: 'signature' });
    const withoutLast = body.subarray(0, body.length - `0;chunk-signature=${chunkSignatures[2]}\r\n\r\n`.length);
    expect(await decodeAwsChunked(withoutLast, context())).toMatchObject({ ok: false, problem: 'malformed' });
    expect(await decodeAwsChunked(body, context('0'.repeat(64)))).toMatchObject({ ok: false, problem: 'signature' });
  });

  it('decodes an unsigned body with a trailing checksum, which it returns', async () => {
    const unsigned = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    const decoded = await decodeAwsChunked(unsigned, {
      ...context(),
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    expect(decoded).toEqual({
      ok: true,
      data: Buffer.from('hello world'),
      trailers: { 'x-amz-checksum-crc32': 'DUoRhQ==' },
    });
  });
});
