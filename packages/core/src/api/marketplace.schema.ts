import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import {
  CategoryFigures,
  MarketplaceKpis,
  MarketplaceMetadata,
  MonthFigures,
  RegionFigures,
} from '../sources/marketplace-kpis';
import { CursorParameter, LimitParameter } from './common.schema';

/** `GET /analytics/marketplace?report=<channel>/<name>`: the report as uploaded to `uploads/marketplace/<channel>/<name>.csv`. */
export const MarketplaceQuery = Type.Object({
  report: Type.String({
    pattern: '^[a-z0-9][a-z0-9-]{0,31}/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
    description: 'a report, <channel>/<name> (its upload is uploads/marketplace/<channel>/<name>.csv)',
    examples: ['amazon/sales-2022-q2'],
  }),
});
export type MarketplaceQuery = Static<typeof MarketplaceQuery>;

/**
 * `GET /analytics/marketplace` 200, in the envelope marketplace analytics APIs answer with: `status`, `timestamp`,
 * `data` (KPIs, top ship-states, categories, months) and `metadata` (records by status class). Revenue excludes
 * cancelled, returned, rejected, lost and damaged lines; orders are distinct Order IDs. Money in the report's
 * currency (`metadata.currency`), decimal units with two decimals.
 */
export const MarketplaceAnalyticsResponse = Type.Object({
  status: Type.Literal('success'),
  /** When this answer was made (ISO 8601). */
  timestamp: Type.String(),
  data: Type.Object({
    report: Type.String(),
    kpis: MarketplaceKpis,
    regional_analytics: Type.Array(RegionFigures),
    category_performance: Type.Array(CategoryFigures),
    monthly_trends: Type.Array(MonthFigures),
  }),
  metadata: Type.Object({
    ...MarketplaceMetadata.properties,
    source_key: Type.String(),
    /** When the report's upload was processed (the KPIs are computed then). */
    processed_at: Type.String(),
  }),
});
export type MarketplaceAnalyticsResponse = Static<typeof MarketplaceAnalyticsResponse>;

/** `GET /analytics/marketplace/reports?channel=&cursor=&limit=`: the uploaded reports, of one channel when given. */
export const MarketplaceReportsQuery = Type.Object({
  channel: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$', description: 'only the reports of this channel' }),
  ),
  cursor: Type.Optional(CursorParameter),
  limit: Type.Optional(LimitParameter),
});
export type MarketplaceReportsQuery = Static<typeof MarketplaceReportsQuery>;

/**
 * What became of a report's latest upload: `processed` (its KPIs are this upload's), `outdated` (the KPIs are an
 * earlier upload's: the new one is being processed, or was rejected whole, see `GET /files?prefix=rejected`),
 * `unprocessed` (no KPIs yet, for the same reasons).
 */
export const MarketplaceReportStatus = Type.Enum(['processed', 'outdated', 'unprocessed']);
export type MarketplaceReportStatus = Static<typeof MarketplaceReportStatus>;

const NullableCount = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

/** One uploaded marketplace report, with its record counts when its KPIs have been computed. */
export const MarketplaceReportEntry = Type.Object({
  /** `<channel>/<name>`, what `GET /analytics/marketplace?report=` takes. */
  report: Type.String(),
  channel: Type.String(),
  name: Type.String(),
  upload_key: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  uploaded_at: Type.String({ description: 'ISO 8601: when the latest upload landed' }),
  status: MarketplaceReportStatus,
  /** When the KPIs were computed; null while none were. */
  processed_at: Type.Union([Type.String(), Type.Null()]),
  /** Records accepted (total = active + cancelled + excluded) and lines rejected, of the upload the KPIs are of. */
  accepted_records: NullableCount,
  rejected_records: NullableCount,
  first_date: Type.Union([Type.String(), Type.Null()]),
  last_date: Type.Union([Type.String(), Type.Null()]),
});
export type MarketplaceReportEntry = Static<typeof MarketplaceReportEntry>;

/** `GET /analytics/marketplace/reports` 200: a page of reports in key order (channel, then name). */
export const MarketplaceReportsResponse = Type.Object({
  reports: Type.Array(MarketplaceReportEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type MarketplaceReportsResponse = Static<typeof MarketplaceReportsResponse>;
