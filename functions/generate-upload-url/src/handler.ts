import { defineHttpHandler, Env, jsonBody, presignPut } from '@tillflow/aws';
import type { UploadUrlResponse } from '@tillflow/core';
import { uploadTarget } from './upload-key';

/**
 * `POST /uploads` with `{"filename": "store_0001_2025-10-29.json"}` (a store file), `{"filename", "channel"}` (a
 * marketplace report) or `{"filename", "source"}` (a mapped POS export): a presigned PUT for exactly that file's key
 * under `uploads/`, with the content type fixed (JSON or CSV). The body is validated first (uploadTarget), so no
 * other key can be obtained.
 */
export const handler = defineHttpHandler(
  {
    name: 'generate-upload-url',
    config: { BUCKET_NAME: Env.BUCKET_NAME, UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS },
  },
  async (event, { config, logger }) => {
    const { key, contentType } = uploadTarget(jsonBody(event));
    const expiresIn = config.UPLOAD_URL_EXPIRES_SECONDS;
    const uploadUrl = await presignPut(config.BUCKET_NAME, key, contentType, expiresIn);
    logger.info('upload url issued', { key, expiresIn });
    const answer: UploadUrlResponse = { uploadUrl, key, expiresIn, headers: { 'Content-Type': contentType } };
    return { statusCode: 200, body: answer };
  },
);
