import { getJson } from '@tillflow/aws';
import {
  type MarketplaceAnalyticsResponse,
  type MarketplaceSummary,
  marketplaceSummaryKey,
  NotFoundError,
  parseReportId,
} from '@tillflow/core';

/**
 * The API's answer for `report` (`<channel>/<name>`) at `now`: the stored summary in the response envelope
 * (MarketplaceAnalyticsResponse). Throws a ValidationError for a malformed name and a NotFoundError, saying where the
 * report would be uploaded, when it has never been processed.
 */
export async function readMarketplaceAnalytics(
  bucket: string,
  report: string,
  now: Date,
): Promise<MarketplaceAnalyticsResponse> {
  const parsed = parseReportId(report);
  let summary: MarketplaceSummary;
  try {
    summary = await getJson<MarketplaceSummary>(bucket, marketplaceSummaryKey(parsed));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(
      `no marketplace report ${report} has been processed (upload it as uploads/marketplace/${report}.csv)`,
    );
  }
  return {
    status: 'success',
    timestamp: now.toISOString(),
    data: {
      report: summary.report,
      kpis: summary.kpis,
      regional_analytics: summary.regional_analytics,
      category_performance: summary.category_performance,
      monthly_trends: summary.monthly_trends,
    },
    metadata: { ...summary.metadata, source_key: summary.source_key, processed_at: summary.processed_at },
  };
}
