/**
 * @tillflow/core: the domain. Schemas, metric maths, key builders, dates. Pure: no AWS SDK, no I/O.
 */

export * from './analytics-operations.schema';
export {
  AnalyticsJobAccepted,
  AnalyticsJobPath,
  AnalyticsJobRequest,
  AnalyticsJobStatus,
  AnalyticsJobView,
  AnalyticsQuery,
  AnalyticsQueryParameters,
  AnalyticsResponse,
  API_ROUTE_SPECS,
  ApiError,
  ApiInsight,
  type ApiResponseSpec,
  type ApiRouteSpec,
  apiRouteSpec,
  CompanyKpis,
  CursorParameter,
  DateEntry,
  DateParameter,
  DatesResponse,
  DayStatusView,
  DependencyCheck,
  DownloadQuery,
  DownloadUrlResponse,
  FileEntry,
  FilePrefix,
  FilesQuery,
  FilesResponse,
  HealthResponse,
  InsightSeverity,
  LimitParameter,
  type OpenApiOptions,
  openApiDocument,
  ProductTrend,
  RejectedRecord,
  RejectionsQuery,
  RejectionsResponse,
  ReportPath,
  ReportQuery,
  ReportResponse,
  StoreEntry,
  StoreFigures,
  StoreParameter,
  StoresResponse,
  TrendPoint,
  TrendSeries,
  TrendsQuery,
  TrendsResponse,
  UploadRequest,
  UploadUrlResponse,
  WeekOverWeek,
} from './api/index';
export * from './canonical-row.schema';
export * from './company-metrics';
export * from './company-metrics.schema';
export * from './dates';
export * from './errors';
export * from './keys';
export * from './metrics';
export * from './money';
export * from './order';
export * from './product-metrics';
export * from './product-metrics.schema';
export * from './publication';
export * from './store-file';
export * from './store-file.schema';
export * from './store-summary.schema';
