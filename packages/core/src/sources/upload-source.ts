import { ValidationError } from '../errors';
import { parseStoreFileName, parseUploadKey, type StoreDay } from '../keys';
import { type MarketplaceReport, parseMarketplaceFileName } from './marketplace';
import { RESERVED_SOURCES } from './pos-mapping';

/** A mapped POS export's source folder: lower-case letters, digits and dashes. */
export const SOURCE_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * What an upload is, from its key alone (`docs/architecture.md`, Sources): the key chooses the source adapter.
 * - `uploads/store_<NNNN>_<YYYY-MM-DD>.json`: a store daily file;
 * - `uploads/marketplace/<channel>/<name>.csv`: a marketplace order report;
 * - `uploads/<source>/store_<NNNN>_<YYYY-MM-DD>.csv`: another POS system's export of one store-day, read with the
 *   mapping `mappings/<source>.json`.
 */
export type UploadSource =
  | { kind: 'store'; storeDay: StoreDay }
  | { kind: 'marketplace'; report: MarketplaceReport }
  | { kind: 'mapped'; source: string; storeDay: StoreDay };

/** The source of an upload key; throws a ValidationError saying which forms a key may have. */
export function classifyUploadKey(key: string): UploadSource {
  if (!key.startsWith('uploads/')) throw new ValidationError(`key "${key}" is not under uploads/`);
  const parts = key.slice('uploads/'.length).split('/');
  if (parts.length === 1) return { kind: 'store', storeDay: parseUploadKey(key) };
  if (parts[0] === 'marketplace') {
    if (parts.length !== 3) {
      throw new ValidationError(`key "${key}" is not of the form uploads/marketplace/<channel>/<name>.csv`);
    }
    return { kind: 'marketplace', report: parseMarketplaceFileName(parts[1] as string, parts[2] as string) };
  }
  if (parts.length !== 2) {
    throw new ValidationError(`key "${key}" is not of the form uploads/<source>/store_<NNNN>_<YYYY-MM-DD>.csv`);
  }
  return { kind: 'mapped', ...parseMappedFileName(parts[0] as string, parts[1] as string) };
}

/** The source and store-day of a mapped export's folder and file name; throws a ValidationError otherwise. */
export function parseMappedFileName(source: string, fileName: string): { source: string; storeDay: StoreDay } {
  if (!SOURCE_RE.test(source) || RESERVED_SOURCES.has(source)) {
    throw new ValidationError(
      `source "${source}" must be lower-case letters, digits and dashes (at most 32), and not ${[...RESERVED_SOURCES].join(', ')}`,
    );
  }
  if (!fileName.endsWith('.csv')) {
    throw new ValidationError(`file name "${fileName}" of a ${source} export must be store_<NNNN>_<YYYY-MM-DD>.csv`);
  }
  try {
    return { source, storeDay: parseStoreFileName(`${fileName.slice(0, -'.csv'.length)}.json`) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${error.message.replaceAll('.json', '.csv')} (a ${source} export)`);
  }
}

/** `uploads/<source>/store_<NNNN>_<YYYY-MM-DD>.csv`: the key of a mapped export of one store-day. */
export function mappedUploadKey(source: string, { storeId, date }: StoreDay): string {
  return `uploads/${source}/store_${storeId}_${date}.csv`;
}
