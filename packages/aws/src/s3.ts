import { NotFoundError, TransientError } from '@tillflow/core';
import { s3Client, s3PresignClient } from './clients/s3';

export interface StoredObject {
  body: Uint8Array;
  etag: string;
}

/** Reads a whole object. A missing key is a NotFoundError (not retried). */
export async function getObject(bucket: string, key: string): Promise<StoredObject> {
  try {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await (await s3Client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    return { body, etag: stripQuotes(out.ETag ?? '') };
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
    throw error;
  }
}

/** An object being read: its ETag, and its bytes as they arrive (never the whole object in memory). */
export interface StreamedObject {
  etag: string;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Opens an object for reading as a stream of chunks, for files too large to hold (a store export of 1 GB in a
 * 1,024 MB function). With `ifMatch`, reads that version only: a second pass over a file that was replaced meanwhile
 * fails (PreconditionFailed, a TransientError for the workflow's retry) instead of mixing two versions.
 */
export async function getObjectStream(bucket: string, key: string, ifMatch?: string): Promise<StreamedObject> {
  try {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await (await s3Client()).send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(ifMatch ? { IfMatch: `"${ifMatch}"` } : {}) }),
    );
    const body = (out.Body ?? []) as AsyncIterable<Uint8Array>;
    return { etag: stripQuotes(out.ETag ?? ''), body };
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
    if ((error as Error).name === 'PreconditionFailed') {
      throw new TransientError(`s3://${bucket}/${key} changed while it was read`, { cause: error });
    }
    throw error;
  }
}

/** Writes an object; `metadata` (ASCII names and values) is returned by a HEAD without reading the body. */
export async function putObject(
  bucket: string,
  key: string,
  body: Uint8Array | string,
  contentType: string,
  metadata?: Record<string, string>,
): Promise<{ etag: string }> {
  // Stated, not inferred: the SDK infers no length for an empty body and then warns about a stream of unknown length.
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const out = await (await s3Client()).send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ContentLength: length,
      ...(metadata ? { Metadata: metadata } : {}),
    }),
  );
  return { etag: stripQuotes(out.ETag ?? '') };
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await (await s3Client()).send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/**
 * A presigned PUT for exactly `key` with a fixed content type: the signature covers the key and the Content-Type
 * header, so the URL cannot write another key or another type. Signed by {@link s3PresignClient}, whose checksums are
 * those S3 requires only: a default client would sign the checksum of an empty body into the URL.
 */
export async function presignPut(bucket: string, key: string, contentType: string, expiresIn: number): Promise<string> {
  const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  return getSignedUrl(
    await s3PresignClient(),
    new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
    {
      expiresIn,
      signableHeaders: new Set(['content-type']),
    },
  );
}

/** ETags come quoted from S3 (`"abc"`); events carry them bare. Compare them bare. */
function stripQuotes(etag: string): string {
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

/** One object of a listing. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: string;
  /** The object's ETag without quotes, as a reader's `etag` gives it (so a listing can tell a version apart). */
  etag: string;
}

/** A page of a listing: the objects and whether the listing goes on after the last one. */
export interface ListedPage {
  objects: ListedObject[];
  truncated: boolean;
}

/**
 * Objects under `prefix` in key order, after `startAfter` when given, at most `maxKeys` (S3's page is at most 1000).
 * `startAfter` rather than S3's continuation token: a caller that filters a page and stops mid-page can resume after
 * the last key it kept, where a token would skip the rest of the page.
 */
export async function listObjects(
  bucket: string,
  prefix: string,
  maxKeys: number,
  startAfter?: string,
): Promise<ListedPage> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const out = await (await s3Client()).send(
    new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix,
      MaxKeys: maxKeys,
      ...(startAfter ? { StartAfter: startAfter } : {}),
    }),
  );
  return {
    objects: (out.Contents ?? []).map((o) => ({
      key: o.Key ?? '',
      size: Number(o.Size ?? 0),
      lastModified: (o.LastModified ?? new Date(0)).toISOString(),
      etag: stripQuotes(o.ETag ?? ''),
    })),
    truncated: out.IsTruncated === true,
  };
}

/** An object's size, time and metadata, without its body. */
export interface ObjectHead {
  size: number;
  lastModified: string;
  contentType: string;
  metadata: Record<string, string>;
}

/**
 * HEAD of an object. A missing key is a NotFoundError; so is a 403, which S3 answers for a missing key to a role
 * that may not list the bucket, so that the caller learns nothing more than "not there".
 */
export async function headObject(bucket: string, key: string): Promise<ObjectHead> {
  try {
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await (await s3Client()).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      size: Number(out.ContentLength ?? 0),
      lastModified: (out.LastModified ?? new Date(0)).toISOString(),
      contentType: out.ContentType ?? 'application/octet-stream',
      metadata: out.Metadata ?? {},
    };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NotFound' || status === 404 || status === 403)
      throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
    throw error;
  }
}

/**
 * A presigned GET of exactly `key`, valid `expiresIn` seconds; the URL can read that one object and nothing else.
 * Signed by {@link s3PresignClient}, as presignPut.
 */
export async function presignGet(bucket: string, key: string, expiresIn: number): Promise<string> {
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  return getSignedUrl(await s3PresignClient(), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}
