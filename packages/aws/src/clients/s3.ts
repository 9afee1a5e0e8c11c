import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../observability';

let s3: S3Client | undefined;

/** S3. With a local endpoint override: path-style bucket names, and checksums only where S3 requires them. */
export function s3Client(): S3Client {
  if (!s3) {
    const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    s3 = tracer.captureAWSv3Client(
      new S3Client(
        // A local S3 server has no virtual-hosted bucket names, and stores aws-chunked checksum framing inside
        // objects when a streamed upload carries the SDK's default checksums.
        local
          ? {
              forcePathStyle: true,
              requestChecksumCalculation: 'WHEN_REQUIRED',
              responseChecksumValidation: 'WHEN_REQUIRED',
            }
          : {},
      ),
    );
  }
  return s3;
}
