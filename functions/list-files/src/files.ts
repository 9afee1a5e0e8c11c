import { getJson, headObject, type ListedObject, listObjects } from '@tillflow/aws';
import {
  checkObjectKey,
  decodeCursor,
  encodeCursor,
  type FileEntry,
  type FilePrefix,
  type FilesResponse,
  fileListing,
  type RejectedRecord,
  type RejectionsResponse,
  storeDayOfKey,
  ValidationError,
} from '@tillflow/core';

/** S3 requests one filtered page may make before it answers short (the cursor then resumes where it stopped). */
const MAX_LIST_REQUESTS = 10;
/** HEADs of rejected files in flight at once. */
const HEAD_CONCURRENCY = 16;

/** What process-upload writes under rejected/ (functions/process-upload/src/process.ts). */
interface RejectionFile {
  source_key: string;
  reason?: string;
  lines: number;
  rejected: number;
  records: RejectedRecord[];
}

/**
 * A page of `folder`'s files narrowed by date and store, in key order. The cursor is the last key of the page, so a
 * listing filtered by the key (a store without a date) resumes exactly where its page ended.
 */
export async function listFiles(
  bucket: string,
  request: { prefix: FilePrefix; date?: string; store?: string; cursor?: string; limit: number },
): Promise<FilesResponse> {
  const listing = fileListing(request.prefix, request.date, request.store);
  let after = request.cursor ? decodeCursor(request.cursor, listing.prefix) : undefined;
  const kept: ListedObject[] = [];
  let exhausted = false;
  for (let i = 0; i < MAX_LIST_REQUESTS && !exhausted && kept.length < request.limit; i++) {
    const page = await listObjects(
      bucket,
      listing.prefix,
      listing.filtered ? 1000 : request.limit - kept.length,
      after,
    );
    let stoppedEarly = false;
    for (const [j, object] of page.objects.entries()) {
      after = object.key;
      if (!listing.keep(object.key)) continue;
      kept.push(object);
      if (kept.length === request.limit) {
        stoppedEarly = j < page.objects.length - 1;
        break;
      }
    }
    exhausted = !page.truncated && !stoppedEarly;
  }
  const files = await describe(bucket, request.prefix, kept);
  return { prefix: request.prefix, files, next_cursor: !exhausted && after ? encodeCursor(after) : null };
}

async function describe(bucket: string, folder: FilePrefix, objects: ListedObject[]): Promise<FileEntry[]> {
  const entries: FileEntry[] = new Array(objects.length);
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const i = next++;
      const o = objects[i] as ListedObject;
      const { storeId, date } = storeDayOfKey(o.key);
      const rejection = folder === 'rejected' ? await rejectionCounts(bucket, o.key) : undefined;
      entries[i] = {
        key: o.key,
        size: o.size,
        last_modified: o.lastModified,
        store_id: storeId,
        date,
        rejected_lines: rejection?.rejected ?? null,
        reason: rejection?.reason ?? null,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(HEAD_CONCURRENCY, objects.length) }, worker));
  return entries;
}

/**
 * A rejected file's count of rejected lines from its metadata (a HEAD); the file itself is read only when it was
 * rejected whole (small: no records, only the reason) or when it predates the metadata.
 */
async function rejectionCounts(bucket: string, key: string): Promise<{ rejected: number; reason: string | null }> {
  const { metadata } = await headObject(bucket, key);
  const count = metadata['rejected-lines'];
  if (count !== undefined && metadata['whole-file'] === 'false') return { rejected: Number(count), reason: null };
  const file = await getJson<RejectionFile>(bucket, key);
  return { rejected: file.rejected, reason: file.reason ?? null };
}

/** A page of a rejected file's lines with their reasons; the cursor is the index of the next line, encoded. */
export async function listRejections(
  bucket: string,
  request: { key: string; cursor?: string; limit: number },
): Promise<RejectionsResponse> {
  const key = checkObjectKey(request.key, ['rejected/']);
  if (!key.endsWith('.rejected.json')) throw new ValidationError('key must name a rejected file (….rejected.json)');
  const start = request.cursor ? Number(decodeCursor(request.cursor, `${key}#`).slice(key.length + 1)) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ValidationError('cursor is not a next_cursor of this listing');
  const file = await getJson<RejectionFile>(bucket, key);
  const end = start + request.limit;
  return {
    key,
    source_key: file.source_key,
    reason: file.reason ?? null,
    lines: file.lines,
    rejected: file.rejected,
    records: file.records.slice(start, end),
    next_cursor: end < file.records.length ? encodeCursor(`${key}#${end}`) : null,
  };
}
