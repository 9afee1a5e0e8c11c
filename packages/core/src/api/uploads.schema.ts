import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * `POST /uploads` body: `{filename}` for a store file, `{filename, channel}` for a marketplace order report,
 * `{filename, source}` for another POS system's export of one store-day (functions/generate-upload-url/src/upload-key.ts).
 */
export const UploadRequest = Type.Object({
  filename: Type.String({
    description:
      'store_<NNNN>_<YYYY-MM-DD>.json (a store file), <name>.csv (a marketplace report, with channel) or ' +
      'store_<NNNN>_<YYYY-MM-DD>.csv (a mapped POS export, with source)',
    examples: ['store_0001_2025-10-29.json', 'sales-2022-q2.csv'],
  }),
  channel: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$', description: 'the marketplace, e.g. amazon' }),
  ),
  source: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$', description: 'the POS export whose mapping reads the file' }),
  ),
});
export type UploadRequest = Static<typeof UploadRequest>;

/** `POST /uploads` 200: the client PUTs the file to `uploadUrl` with `headers`. */
export const UploadUrlResponse = Type.Object({
  uploadUrl: Type.String(),
  key: Type.String(),
  expiresIn: Type.Integer({ minimum: 1 }),
  headers: Type.Record(Type.String(), Type.String()),
});
export type UploadUrlResponse = Static<typeof UploadUrlResponse>;
