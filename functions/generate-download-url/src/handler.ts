import { defineHttpHandler, Env, headObject, presignGet } from '@tillflow/aws';
import { checkObjectKey, DOWNLOAD_PREFIXES, DownloadQuery, type DownloadUrlResponse } from '@tillflow/core';

/** A download link lives 15 minutes: long enough to click, short enough not to be worth sharing. */
const EXPIRES_SECONDS = 900;

/**
 * `GET /download-url?key=`: a presigned GET (15 minutes) of one object under processed/, rejected/, reports/ or
 * quicksight/. The key is checked before anything else (no traversal, no absolute path or URL, no encoded slash, no
 * other folder: a 400 saying why), then that it exists (a 404), so the URL never points at nothing.
 */
export const handler = defineHttpHandler(
  { name: 'generate-download-url', config: { BUCKET_NAME: Env.BUCKET_NAME }, query: DownloadQuery },
  async (_event, { config, query, logger }) => {
    const key = checkObjectKey(query.key, DOWNLOAD_PREFIXES);
    await headObject(config.BUCKET_NAME, key);
    const url = await presignGet(config.BUCKET_NAME, key, EXPIRES_SECONDS);
    logger.info('download url issued', { key, expiresIn: EXPIRES_SECONDS });
    const body: DownloadUrlResponse = { url, key, expires_in: EXPIRES_SECONDS };
    return { statusCode: 200, body };
  },
);
