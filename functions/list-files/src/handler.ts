import { defineHttpRoutes, Env } from '@tillflow/aws';
import { FilesQuery, RejectionsQuery } from '@tillflow/core';
import { listFiles, listRejections } from './files';

const DEFAULT_LIMIT = 100;

/**
 * `GET /files?prefix=uploads|processed|rejected&date=&store=&cursor=&limit=`: a page of files with size, time and,
 * for rejected files, the count of rejected lines. `GET /files/rejections?key=&cursor=&limit=`: a page of one rejected
 * file's lines with their reasons.
 */
export const handler = defineHttpRoutes({ name: 'list-files', config: { BUCKET_NAME: Env.BUCKET_NAME } }, (route) => ({
  'GET /files': route({ query: FilesQuery }, async (_event, { config, query, logger }) => {
    const body = await listFiles(config.BUCKET_NAME, { ...query, limit: query.limit ?? DEFAULT_LIMIT });
    logger.info('files listed', { prefix: query.prefix, files: body.files.length, more: body.next_cursor !== null });
    return { statusCode: 200, body };
  }),
  'GET /files/rejections': route({ query: RejectionsQuery }, async (_event, { config, query, logger }) => {
    const body = await listRejections(config.BUCKET_NAME, { ...query, limit: query.limit ?? DEFAULT_LIMIT });
    logger.info('rejections listed', { key: body.key, records: body.records.length });
    return { statusCode: 200, body };
  }),
}));
