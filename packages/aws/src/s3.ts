import { NotFoundError } from '@tillflow/core';
import { s3Client } from './clients/s3';

export interface StoredObject {
  body: Uint8Array;
  etag: string;
  lastModified?: Date;
}

/** Reads a whole object. A missing key is a NotFoundError (not retried). */
export async function getObject(bucket: string, key: string): Promise<StoredObject> {
  try {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await (await s3Client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    return { body, etag: stripQuotes(out.ETag ?? ''), ...(out.LastModified ? { lastModified: out.LastModified } : {}) };
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
    throw error;
  }
}

export async function putObject(
  bucket: string,
  key: string,
  body: Uint8Array | string,
  contentType: string,
): Promise<{ etag: string }> {
  // Stated, not inferred: the SDK infers no length for an empty body and then warns about a stream of unknown length.
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const out = await (await s3Client()).send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ContentLength: length }),
  );
  return { etag: stripQuotes(out.ETag ?? '') };
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await (await s3Client()).send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified?: Date;
}

/** Every object under `prefix`, following continuation tokens. */
export async function listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
  const [{ ListObjectsV2Command }, s3] = await Promise.all([import('@aws-sdk/client-s3'), s3Client()]);
  const found: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      found.push({
        key: o.Key,
        size: o.Size ?? 0,
        etag: stripQuotes(o.ETag ?? ''),
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
}

/**
 * A presigned PUT for exactly `key` with a fixed content type: the signature covers the key and the Content-Type
 * header, so the URL cannot write another key or another type.
 */
export async function presignPut(bucket: string, key: string, contentType: string, expiresIn: number): Promise<string> {
  const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  return getSignedUrl(await s3Client(), new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
    expiresIn,
    signableHeaders: new Set(['content-type']),
  });
}

/** A presigned GET for `key`. */
export async function presignGet(bucket: string, key: string, expiresIn: number): Promise<string> {
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  return getSignedUrl(await s3Client(), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}

/** ETags come quoted from S3 (`"abc"`); events carry them bare. Compare them bare. */
export function stripQuotes(etag: string): string {
  return etag.replace(/^"+|"+$/g, '');
}

/** Reads an object holding JSON. A missing key is a NotFoundError; the caller vouches for the shape. */
export async function getJson<T>(bucket: string, key: string): Promise<T> {
  const { body } = await getObject(bucket, key);
  return JSON.parse(new TextDecoder().decode(body)) as T;
}

/** Writes `value` as JSON (`application/json`). */
export async function putJson(bucket: string, key: string, value: unknown): Promise<{ etag: string }> {
  return putObject(bucket, key, JSON.stringify(value), 'application/json');
}
