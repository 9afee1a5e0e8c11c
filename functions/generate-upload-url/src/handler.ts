import { defineHttpHandler, Env, jsonBody, presignPut } from '@tillflow/aws';
import { parseStoreFileName, type UploadUrlResponse, uploadKey, ValidationError } from '@tillflow/core';

const CONTENT_TYPE = 'application/json';

/**
 * `POST /uploads` with `{"filename": "store_0001_2025-10-29.json"}`: a presigned PUT for exactly that store file's key
 * under `uploads/`, with the content type fixed. The name is validated first, so no other key can be obtained.
 */
export const handler = defineHttpHandler(
  {
    name: 'generate-upload-url',
    config: { BUCKET_NAME: Env.BUCKET_NAME, UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS },
  },
  async (event, { config, logger }) => {
    const body = jsonBody(event);
    const filename = (body as { filename?: unknown } | null)?.filename;
    if (typeof filename !== 'string')
      throw new ValidationError('filename is required: a string like store_0001_2025-10-29.json');
    const key = uploadKey(parseStoreFileName(filename));
    const expiresIn = config.UPLOAD_URL_EXPIRES_SECONDS;
    const uploadUrl = await presignPut(config.BUCKET_NAME, key, CONTENT_TYPE, expiresIn);
    logger.info('upload url issued', { key, expiresIn });
    const answer: UploadUrlResponse = { uploadUrl, key, expiresIn, headers: { 'Content-Type': CONTENT_TYPE } };
    return { statusCode: 200, body: answer };
  },
);
