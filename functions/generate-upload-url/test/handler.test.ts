import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { UploadUrlResponse } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

function post(body: string) {
  return fetch(`${platform.endpoints.api}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

describe('POST /uploads', () => {
  it('answers a presigned PUT for exactly the store file key, which stores the file', async () => {
    const res = await post(JSON.stringify({ filename: 'store_0007_2025-10-29.json' }));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as UploadUrlResponse;
    expect(answer.key).toBe('uploads/store_0007_2025-10-29.json');
    expect(answer.expiresIn).toBe(900);
    expect(answer.headers).toEqual({ 'Content-Type': 'application/json' });
    const url = new URL(answer.uploadUrl);
    expect(url.pathname).toBe(`/${platform.bucket}/uploads/store_0007_2025-10-29.json`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');

    const put = await fetch(answer.uploadUrl, { method: 'PUT', headers: answer.headers, body: '[]' });
    expect(put.status).toBe(200);
    const head = await platform.s3Client().send(new HeadObjectCommand({ Bucket: platform.bucket, Key: answer.key }));
    expect(head.ContentLength).toBe(2);
  });

  it.each([
    ['a body that is not JSON', 'filename=x', /not valid JSON/],
    ['no filename', '{}', /filename is required/],
    ['a misnamed file', '{"filename":"store_7_2025-10-29.json"}', /not of the form/],
    ['a date that is not on the calendar', '{"filename":"store_0007_2025-02-30.json"}', /not a calendar date/],
    ['a path', '{"filename":"../store_0007_2025-10-29.json"}', /not of the form/],
  ])('refuses %s with a 400 and the reason', async (_what, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  });
});
