import { createHash } from 'node:crypto';
import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { LAKE_PREFIX, MARKETPLACE_LAKE_PREFIX, parseLakeKey, parseMarketplaceLakeKey } from '@tillflow/core';
import { s3Client } from './clients/s3';

/** One Parquet partition file of the lake, as S3 lists it. */
export interface LakeFile {
  key: string;
  date: string;
  /** The partition's store (the sales lake) or channel (the marketplace lake). */
  store: string;
  /** The object's ETag, unquoted: it changes when a corrected upload replaces the partition. */
  etag: string;
  size: number;
}

/** A business-date range of the lake (inclusive), optionally of some stores only. */
export interface LakeRange {
  from: string;
  to: string;
  stores?: readonly string[] | undefined;
}

/**
 * The lake's partition files of a range, by date then store. One listing from `date=<from>` on (StartAfter), stopped
 * past `date=<to>`: keys sort by date because the date is the first partition column, so nothing outside the range is
 * paged through except at most one page's tail.
 */
export async function listLakeFiles(bucket: string, range: LakeRange): Promise<LakeFile[]> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = await s3Client();
  const stores = range.stores ? new Set(range.stores) : undefined;
  const files: LakeFile[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: LAKE_PREFIX,
        ...(token ? { ContinuationToken: token } : { StartAfter: `${LAKE_PREFIX}date=${range.from}` }),
      }),
    );
    for (const object of page.Contents ?? []) {
      const partition = parseLakeKey(object.Key ?? '');
      if (!partition) continue;
      if (partition.date > range.to) return files;
      if (partition.date < range.from || (stores && !stores.has(partition.storeId))) continue;
      files.push({
        key: object.Key as string,
        date: partition.date,
        store: partition.storeId,
        etag: (object.ETag ?? '').replace(/^"+|"+$/g, ''),
        size: object.Size ?? 0,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return files;
}

/** A business-date range of the marketplace lake (inclusive), optionally of some channels only. */
export interface MarketplaceLakeRange {
  from: string;
  to: string;
  channels?: readonly string[] | undefined;
}

/**
 * The marketplace lake's partition files of a range (`processed/marketplace/channel=<c>/date=<d>/<report>.parquet`).
 * The channel is the first partition column, so each channel's prefix (every channel's, when none is named) is listed
 * and the dates outside the range skipped: the marketplace lake holds one file per report and order date, a few
 * hundred a year, not the sales lake's one per store and day.
 */
export async function listMarketplaceFiles(bucket: string, range: MarketplaceLakeRange): Promise<LakeFile[]> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = await s3Client();
  const prefixes = range.channels
    ? [...range.channels].sort().map((c) => `${MARKETPLACE_LAKE_PREFIX}channel=${c}/`)
    : [MARKETPLACE_LAKE_PREFIX];
  const files: LakeFile[] = [];
  for (const prefix of prefixes) {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) {
        const partition = parseMarketplaceLakeKey(object.Key ?? '');
        if (!partition || partition.date < range.from || partition.date > range.to) continue;
        files.push({
          key: object.Key as string,
          date: partition.date,
          store: partition.channel,
          etag: (object.ETag ?? '').replace(/^"+|"+$/g, ''),
          size: object.Size ?? 0,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return files;
}

/**
 * The lake's version for a set of partition files: a hash of their keys and ETags. An upload that lands in the range
 * (a new store-day, or a correction replacing one) changes it; nothing outside the range does.
 */
export function lakeVersion(files: readonly LakeFile[]): string {
  const hash = createHash('sha256');
  for (const line of files.map((f) => `${f.key} ${f.etag}`).sort()) hash.update(line).update('\n');
  return hash.digest('hex').slice(0, 32);
}
