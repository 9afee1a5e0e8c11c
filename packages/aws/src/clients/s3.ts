import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { traced } from '../observability';
import { once } from '../once';

/**
 * S3, with the SDK's default checksums (CRC32 on every upload, response checksums validated), in AWS as locally: they
 * are the integrity check of the Parquet files and exports the functions write. With a local endpoint override only
 * the bucket addressing changes (the local platform decodes the aws-chunked uploads the checksums bring, see
 * `packages/local/src/s3-auth.ts`).
 */
export const s3Client: () => Promise<S3Client> = once(async () => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return traced(new S3Client(addressing()));
});

/**
 * The client `presignPut` (`packages/aws/src/s3.ts`) signs URLs with: checksums only where S3 requires them, because
 * with the default the SDK signs the CRC32 of the empty body it presigns into the URL, and S3 then refuses the real
 * file. It sends no request itself, so it is not traced.
 */
export const s3PresignClient: () => Promise<S3Client> = once(async () => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({ ...addressing(), requestChecksumCalculation: 'WHEN_REQUIRED' });
});

/** A local S3 server (an endpoint override) has no virtual-hosted bucket names. */
function addressing(): S3ClientConfig {
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return local ? { forcePathStyle: true } : {};
}
