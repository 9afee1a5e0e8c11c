import { defineHandler, Env, idempotentBy } from '@tillflow/aws';
import { UploadEvent } from './event';
import { recordUploadMetrics } from './metrics';
import { processUpload } from './process';

/**
 * Reads an uploaded store file, validates every record, writes the valid rows as Parquet under `processed/` and the
 * rejected ones with their reasons under `rejected/`. Idempotent per (key, ETag): a duplicate delivery returns the
 * stored result and writes nothing.
 */
export const handler = defineHandler(
  {
    name: 'process-upload',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    event: UploadEvent,
    correlationId: (e) => `${e.key}#${e.etag}`,
    idempotency: idempotentBy('[key, etag]'),
  },
  async (event, { config, logger, metrics }) => {
    const result = await processUpload(event, config.BUCKET_NAME);
    recordUploadMetrics(metrics, result);
    logger.info('upload processed', {
      status: result.status,
      lines: result.lines,
      accepted: result.accepted,
      rejected: result.rejected,
      ...(result.reason ? { reason: result.reason } : {}),
    });
    return result;
  },
);
