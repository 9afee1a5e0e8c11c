import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** `POST /uploads` body. */
export const UploadRequest = Type.Object({
  filename: Type.String({ description: 'store_<NNNN>_<YYYY-MM-DD>.json', examples: ['store_0001_2025-10-29.json'] }),
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
