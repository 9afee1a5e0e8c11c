/**
 * The HTTP API's contract: request and response schemas of every route (TypeBox: the schema is the type), the route
 * table and the OpenAPI document generated from it. Pure: the dashboard and the CLI import these types too.
 */
export {
  AnalyticsQuery,
  AnalyticsResponse,
  ApiInsight,
  CompanyKpis,
  DayStatusView,
  InsightSeverity,
  StoreFigures,
} from './analytics.schema';
export { DateEntry, DatesResponse, StoreEntry, StoresResponse } from './catalog.schema';
export { ApiError, CursorParameter, DateParameter, LimitParameter, StoreParameter } from './common.schema';
export { DownloadQuery, DownloadUrlResponse } from './download.schema';
export {
  FileEntry,
  FilePrefix,
  FilesQuery,
  FilesResponse,
  RejectedRecord,
  RejectionsQuery,
  RejectionsResponse,
} from './files.schema';
export { DependencyCheck, HealthResponse } from './health.schema';
export {
  AnalyticsJobAccepted,
  AnalyticsJobPath,
  AnalyticsJobRequest,
  AnalyticsJobStatus,
  AnalyticsJobView,
  AnalyticsQueryParameters,
} from './jobs.schema';
export {
  MarketplaceAnalyticsResponse,
  MarketplaceQuery,
  MarketplaceReportEntry,
  MarketplaceReportStatus,
  MarketplaceReportsQuery,
  MarketplaceReportsResponse,
} from './marketplace.schema';
export {
  checkObjectKey,
  DOWNLOAD_PREFIXES,
  decodeCursor,
  encodeCursor,
  type FileListing,
  fileListing,
  storeDayOfKey,
} from './object-keys';
export { type OpenApiOptions, openApiDocument } from './openapi';
export { LateStore, QualityQuery, QualityResponse } from './quality.schema';
export { ReportPath, ReportQuery, ReportResponse } from './report.schema';
export { API_ROUTE_SPECS, type ApiResponseSpec, type ApiRouteSpec } from './routes';
export {
  buildSeries,
  calendarDays,
  changePct,
  nearestDates,
  type ProductChange,
  productTrends,
  type SeriesDay,
  type SeriesPoint,
  type WeekChange,
  weekOverWeek,
} from './series';
export {
  ProductTrend,
  TrendPoint,
  TrendSeries,
  TrendsQuery,
  TrendsResponse,
  WeekOverWeek,
} from './trends.schema';
export { UploadRequest, UploadUrlResponse } from './uploads.schema';
