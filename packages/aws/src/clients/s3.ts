import type { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../observability';
import { once } from '../once';

/** S3. With a local endpoint override: path-style bucket names, and checksums only where S3 requires them. */
export const s3Client: () => Promise<S3Client> = once(async () => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return traced(
    new S3Client({
      // Checksums only where S3 requires them: otherwise the SDK signs the checksum of an empty body into
      // presigned PUT URLs (which S3 then refuses for a real file), and a local S3 server would store the
      // aws-chunked checksum framing of streamed uploads inside the objects.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      // A local S3 server has no virtual-hosted bucket names.
      ...(local ? { forcePathStyle: true, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    }),
  );
});
