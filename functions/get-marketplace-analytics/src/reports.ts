import { getJson, type ListedObject, listObjects } from '@tillflow/aws';
import {
  CHANNEL_RE,
  decodeCursor,
  encodeCursor,
  type MarketplaceReport,
  type MarketplaceReportEntry,
  type MarketplaceReportsResponse,
  type MarketplaceSummary,
  marketplaceSummaryKey,
  NotFoundError,
  parseMarketplaceFileName,
  reportId,
} from '@tillflow/core';

/** Where every marketplace report is uploaded (`marketplaceUploadKey`). */
const UPLOAD_PREFIX = 'uploads/marketplace/';
/** Summaries read at once (one small GET each). */
const READ_CONCURRENCY = 16;

/**
 * A page of the uploaded marketplace reports (of `channel` when given) in key order, each with what its summary says:
 * when it was processed and how many records it accepted and rejected. A report is listed from its upload, so one
 * uploaded but not processed yet (or rejected whole) is listed too, as `unprocessed` or `outdated`.
 */
export async function listMarketplaceReports(
  bucket: string,
  request: { channel?: string; cursor?: string; limit: number },
): Promise<MarketplaceReportsResponse> {
  const prefix = request.channel ? `${UPLOAD_PREFIX}${request.channel}/` : UPLOAD_PREFIX;
  const after = request.cursor ? decodeCursor(request.cursor, prefix) : undefined;
  const page = await listObjects(bucket, prefix, request.limit, after);
  const uploads = page.objects.flatMap((object) => {
    const report = reportOfUploadKey(object.key);
    return report ? [{ object, report }] : [];
  });
  const reports: MarketplaceReportEntry[] = new Array(uploads.length);
  let next = 0;
  const worker = async () => {
    while (next < uploads.length) {
      const i = next++;
      const { object, report } = uploads[i] as (typeof uploads)[number];
      reports[i] = describeReport(object, report, await readSummary(bucket, report));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, uploads.length) }, worker));
  const last = page.objects.at(-1)?.key;
  return { reports, next_cursor: page.truncated && last ? encodeCursor(last) : null };
}

/** The report an upload key names, or undefined for a key that is not `uploads/marketplace/<channel>/<name>.csv`. */
function reportOfUploadKey(key: string): MarketplaceReport | undefined {
  const [channel, file, ...rest] = key.slice(UPLOAD_PREFIX.length).split('/');
  if (!channel || !file || rest.length > 0 || !CHANNEL_RE.test(channel)) return undefined;
  try {
    return parseMarketplaceFileName(channel, file);
  } catch {
    return undefined;
  }
}

async function readSummary(bucket: string, report: MarketplaceReport): Promise<MarketplaceSummary | undefined> {
  try {
    return await getJson<MarketplaceSummary>(bucket, marketplaceSummaryKey(report));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** An upload and its summary, if any: `processed` when the summary is of this very upload (same ETag). */
function describeReport(
  upload: ListedObject,
  report: MarketplaceReport,
  summary: MarketplaceSummary | undefined,
): MarketplaceReportEntry {
  return {
    report: reportId(report),
    channel: report.channel,
    name: report.name,
    upload_key: upload.key,
    size: upload.size,
    uploaded_at: upload.lastModified,
    status: summary === undefined ? 'unprocessed' : summary.source_etag === upload.etag ? 'processed' : 'outdated',
    processed_at: summary?.processed_at ?? null,
    accepted_records: summary?.metadata.total_records ?? null,
    rejected_records: summary?.metadata.rejected_records ?? null,
    first_date: summary?.metadata.first_date ?? null,
    last_date: summary?.metadata.last_date ?? null,
  };
}
