import { defineHandler, Env, idempotentBy } from '@tillflow/aws';
import { UploadEvent } from './event';
import { recordUploadMetrics } from './metrics';
import { processUpload } from './process';
import { processCsvUpload } from './sources/dispatch';

/**
 * Reads an uploaded file as a stream with the source adapter its key chooses (a store file, a marketplace report or a
 * mapped POS export), validates every record, writes the valid rows as Parquet under `processed/` and the rejected
 * ones with their reasons under `rejected/`, and returns the store-day figures (or, for a marketplace report, the key
 * of its KPI summary). Idempotent per (key, ETag): a duplicate delivery returns the stored result and writes nothing.
 */
export const handler = defineHandler(
  {
    name: 'process-upload',
    config: { BUCKET_NAME: Env.BUCKET_NAME, MAX_UPLOAD_BYTES: Env.MAX_UPLOAD_BYTES },
    event: UploadEvent,
    correlationId: (e) => `${e.key}#${e.etag}`,
    idempotency: idempotentBy('[key, etag]'),
  },
  async (event, { config, logger, metrics }) => {
    const result =
      (await processCsvUpload(event, config.BUCKET_NAME, config.MAX_UPLOAD_BYTES)) ??
      (await processUpload(event, config.BUCKET_NAME, config.MAX_UPLOAD_BYTES));
    recordUploadMetrics(metrics, result);
    logger.info('upload processed', {
      status: result.status,
      lines: result.lines,
      accepted: result.accepted,
      rejected: result.rejected,
      ...(result.status === 'rejected' ? { reason: result.reason } : {}),
    });
    return result;
  },
);
