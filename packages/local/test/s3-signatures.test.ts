import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { presignedSignatureMatches } from '../src/s3-signatures';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:4569',
  forcePathStyle: true,
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

/** The request a client sends for a presigned URL, with the given headers. */
function requestFor(url: string, method: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  return { method, url: u.pathname + u.search, headers: { host: u.host, ...headers } };
}

describe('presignedSignatureMatches', () => {
  it('accepts what the SDK presigned, keys with spaces, = and + included', async () => {
    const key = 'processed/sales/date=2025-10-29/store=0001/a b+c.parquet';
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'tillflow-local', Key: key }), { expiresIn: 60 });
    expect(await presignedSignatureMatches(requestFor(get, 'GET'), credentials)).toBe(true);
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/x.json', ContentType: 'application/json' }),
      { expiresIn: 3600, signableHeaders: new Set(['content-type']) },
    );
    const headers = { 'content-type': 'application/json' };
    expect(await presignedSignatureMatches(requestFor(put, 'PUT', headers), credentials)).toBe(true);
  });

  it('refuses another method, key, signed header value, expiry or secret', async () => {
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
    for (const request of refused) expect(await presignedSignatureMatches(request, credentials)).toBe(false);
    expect(
      await presignedSignatureMatches(requestFor(put, 'PUT', headers), { ...credentials, secretAccessKey: 'other' }),
    ).toBe(false);
  });
});
