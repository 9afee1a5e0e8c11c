import type { Readable } from 'node:stream';
import { NotFoundError } from '@tillflow/core';
import { s3Client } from './clients/s3';

/** An object opened for reading as it arrives: its body as a Node stream, and the ETag of that content. */
export interface ObjectStream {
  body: Readable;
  etag: string;
}

/**
 * Opens an object as a stream, so that a large upload (a marketplace report of hundreds of MB) is read a chunk at a
 * time instead of into one buffer. The caller must consume or destroy `body`: an abandoned body holds the socket.
 * A missing key is a NotFoundError (not retried).
 */
export async function getObjectStream(bucket: string, key: string): Promise<ObjectStream> {
  try {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await (await s3Client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    // In Node.js the SDK's body is an IncomingMessage, a Readable.
    const body = out.Body as Readable | undefined;
    if (body === undefined) {
      const { Readable: R } = await import('node:stream');
      return { body: R.from([]), etag: (out.ETag ?? '').replace(/^"+|"+$/g, '') };
    }
    return { body, etag: (out.ETag ?? '').replace(/^"+|"+$/g, '') };
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
    throw error;
  }
}
