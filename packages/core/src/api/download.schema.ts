import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** `GET /download-url?key=`: a key under `processed/`, `rejected/`, `reports/` or `quicksight/`. */
export const DownloadQuery = Type.Object({ key: Type.String({ minLength: 1, maxLength: 1024 }) });
export type DownloadQuery = Static<typeof DownloadQuery>;

/** `GET /download-url` 200: a presigned GET of exactly that key. */
export const DownloadUrlResponse = Type.Object({
  url: Type.String(),
  key: Type.String(),
  /** Seconds the URL stays valid (at most 900). */
  expires_in: Type.Integer({ minimum: 1, maximum: 900 }),
});
export type DownloadUrlResponse = Static<typeof DownloadUrlResponse>;
