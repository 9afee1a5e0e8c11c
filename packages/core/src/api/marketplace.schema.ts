import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import {
  CategoryFigures,
  MarketplaceKpis,
  MarketplaceMetadata,
  MonthFigures,
  RegionFigures,
} from '../sources/marketplace-kpis';

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
