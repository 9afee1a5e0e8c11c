import {
  mappedUploadKey,
  marketplaceUploadKey,
  parseMappedFileName,
  parseMarketplaceFileName,
  parseStoreFileName,
  uploadKey,
  ValidationError,
} from '@tillflow/core';

/** The key a `POST /uploads` body asks for and the content type its PUT must carry. */
export interface UploadTarget {
  key: string;
  contentType: 'application/json' | 'text/csv';
}

const FORMS =
  '{"filename": "store_0001_2025-10-29.json"} (a store file), {"filename": "sales-2022-q2.csv", "channel": "amazon"} ' +
  '(a marketplace report) or {"filename": "store_0001_2025-10-29.csv", "source": "kassa"} (a mapped POS export)';

/**
 * The one upload key a `POST /uploads` body names, every part validated (docs/operations.md, Uploading):
 * `{filename}` is a store file, `uploads/store_<NNNN>_<YYYY-MM-DD>.json`; `{filename, channel}` a marketplace report,
 * `uploads/marketplace/<channel>/<name>.csv`; `{filename, source}` another POS system's export of one store-day,
 * `uploads/<source>/store_<NNNN>_<YYYY-MM-DD>.csv`. Throws a ValidationError naming what is wrong, so no other key
 * can be signed.
 */
export function uploadTarget(body: unknown): UploadTarget {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError(`the body must be a JSON object: ${FORMS}`);
  }
  const { filename, channel, source, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ValidationError(`unknown field(s) ${unknown.join(', ')}: the body is ${FORMS}`);
  if (typeof filename !== 'string') {
    throw new ValidationError(`filename is required: a string like store_0001_2025-10-29.json; the body is ${FORMS}`);
  }
  if (channel !== undefined && source !== undefined) {
    throw new ValidationError('give channel (a marketplace report) or source (a mapped POS export), not both');
  }
  if (channel !== undefined) {
    if (typeof channel !== 'string') throw new ValidationError('channel must be a string like amazon');
    return { key: marketplaceUploadKey(parseMarketplaceFileName(channel, filename)), contentType: 'text/csv' };
  }
  if (source !== undefined) {
    if (typeof source !== 'string') throw new ValidationError('source must be a string like kassa');
    const mapped = parseMappedFileName(source, filename);
    return { key: mappedUploadKey(mapped.source, mapped.storeDay), contentType: 'text/csv' };
  }
  return { key: uploadKey(parseStoreFileName(filename)), contentType: 'application/json' };
}
