import { classifyUploadKey, ValidationError } from '@tillflow/core';
import type { UploadEvent } from '../event';
import { type MappedUploadResult, processMapped } from './mapped';
import { type MarketplaceUploadResult, processMarketplace } from './marketplace';

/** What a CSV source adapter returns. */
export type CsvUploadResult = MarketplaceUploadResult | MappedUploadResult;

/**
 * The source adapter an upload's key chooses (classifyUploadKey): a marketplace report or a mapped POS export is
 * processed here; a store file, or a key of no known form (rejected whole, unattributed), returns undefined and is
 * the store file path's (process.ts).
 */
export async function processCsvUpload(
  event: UploadEvent,
  bucket: string,
  maxBytes: number,
): Promise<CsvUploadResult | undefined> {
  let source: ReturnType<typeof classifyUploadKey>;
  try {
    source = classifyUploadKey(event.key);
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
  if (source.kind === 'marketplace') return processMarketplace(event, bucket, source.report, maxBytes);
  if (source.kind === 'mapped') return processMapped(event, bucket, source.source, source.storeDay, maxBytes);
  return undefined;
}
