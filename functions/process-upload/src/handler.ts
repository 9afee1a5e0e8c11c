import { defineHandler, Env, idempotentBy } from '@tillflow/aws';
import { UploadEvent } from './event';
import { processUpload } from './process';
import { processCsvUpload } from './sources/dispatch';

/**
 * Reads an uploaded file with the source adapter its key chooses (a store file, a marketplace report or a mapped POS
 * export), validates every record, writes the valid rows as Parquet under `processed/` and the
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
  async (event, { config, logger }) => {
    const result =
      (await processCsvUpload(event, config.BUCKET_NAME)) ?? (await processUpload(event, config.BUCKET_NAME));
    logger.info('upload processed', {
      status: result.status,
      lines: result.lines,
      accepted: result.accepted,
      rejected: result.rejected,
      ...('reason' in result && result.reason ? { reason: result.reason } : {}),
    });
    return result;
  },
);
