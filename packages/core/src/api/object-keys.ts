import { ValidationError } from '../errors';

/** The folders of the bucket a presigned GET may read: results, never the raw uploads or the analysis internals. */
export const DOWNLOAD_PREFIXES = ['processed/', 'rejected/', 'reports/', 'quicksight/'] as const;

/**
 * A key a caller names (`GET /download-url?key=`, `GET /files/rejections?key=`), checked before it reaches S3: a
 * relative key under one of `prefixes`, nothing that could name another place. Refused with the reason: an absolute
 * path or a URL (`/x`, `s3://other-bucket/x`), a `.` or `..` segment or an empty one (`a//b`), a backslash, a percent
 * sign (the query string is decoded once already, so a `%` left over is an encoded slash or dot trying its luck),
 * control characters, and keys longer than S3's 1,024 bytes.
 */
export function checkObjectKey(key: string, prefixes: readonly string[]): string {
  if (Buffer.byteLength(key) > 1024) throw new ValidationError('key is longer than 1024 bytes');
  if (/^[a-z][a-z0-9+.-]*:/i.test(key) || key.startsWith('/'))
    throw new ValidationError('key must be a key of this bucket, relative (no leading slash, no URL)');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f\\%]/.test(key))
    throw new ValidationError('key must not hold control characters, backslashes or percent-encoding');
  const segments = key.split('/');
  if (segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1)))
    throw new ValidationError('key must not hold ".", ".." or empty path segments');
  if (!prefixes.some((p) => key.startsWith(p)) || prefixes.includes(key))
    throw new ValidationError(`key must name an object under ${prefixes.join(', ')}`);
  return key;
}

/** The store and business date a key names (`…store_0001_2025-10-29…`), when it names one. */
export function storeDayOfKey(key: string): { storeId: string | null; date: string | null } {
  const m = /store_(\d{4})_(\d{4}-\d{2}-\d{2})/.exec(key);
  return m ? { storeId: m[1] as string, date: m[2] as string } : { storeId: null, date: null };
}

/** What `GET /files` lists: the S3 prefix to list and, when the prefix alone cannot say, which keys to keep. */
export interface FileListing {
  prefix: string;
  keep: (key: string) => boolean;
  /** True when `keep` can refuse keys (the listing must then read on past a short page). */
  filtered: boolean;
}

/**
 * The listing of one folder narrowed by date and store, as far as possible by the S3 prefix (the keys are partitioned
 * by date, then store: `processed/sales/date=<d>/store=<s>/`, `rejected/date=<d>/store=<s>/`; uploads are named
 * `store_<s>_<d>.json`), the rest by a filter on the key.
 */
export function fileListing(folder: 'uploads' | 'processed' | 'rejected', date?: string, store?: string): FileListing {
  const all = () => true;
  if (folder === 'uploads') {
    if (store) return { prefix: `uploads/store_${store}_${date ?? ''}`, keep: all, filtered: false };
    if (date) return { prefix: 'uploads/', keep: (k) => k.endsWith(`_${date}.json`), filtered: true };
    return { prefix: 'uploads/', keep: all, filtered: false };
  }
  const base = folder === 'processed' ? 'processed/sales/' : 'rejected/';
  if (date) return { prefix: `${base}date=${date}/${store ? `store=${store}/` : ''}`, keep: all, filtered: false };
  if (store) return { prefix: base, keep: (k) => k.includes(`/store=${store}/`), filtered: true };
  return { prefix: base, keep: all, filtered: false };
}

/** An opaque cursor for a position in a listing: the last key returned, base64url-encoded. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/** The position a cursor holds, or a ValidationError when it is not one `encodeCursor` made for `prefix`. */
export function decodeCursor(cursor: string, prefix: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!position.startsWith(prefix) || encodeCursor(position) !== cursor)
    throw new ValidationError('cursor is not a next_cursor of this listing');
  return position;
}
