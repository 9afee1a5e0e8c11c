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
  buildSeries,
  CompanyKpis,
  CursorParameter,
  calendarDays,
  changePct,
  checkObjectKey,
  DateEntry,
  DateParameter,
  DatesResponse,
  DayStatusView,
  DependencyCheck,
  DOWNLOAD_PREFIXES,
  DownloadQuery,
  DownloadUrlResponse,
  decodeCursor,
  encodeCursor,
  FileEntry,
  type FileListing,
  FilePrefix,
  FilesQuery,
  FilesResponse,
  fileListing,
  HealthResponse,
  InsightSeverity,
  LateStore,
  LimitParameter,
  MarketplaceAnalyticsResponse,
  MarketplaceQuery,
  MarketplaceReportEntry,
  MarketplaceReportStatus,
  MarketplaceReportsQuery,
  MarketplaceReportsResponse,
  nearestDates,
  type OpenApiOptions,
  openApiDocument,
  type ProductChange,
  ProductTrend,
  productTrends,
  QualityQuery,
  QualityResponse,
  RejectedRecord,
  RejectionsQuery,
  RejectionsResponse,
  ReportPath,
  ReportQuery,
  ReportResponse,
  type SeriesDay,
  type SeriesPoint,
  StoreEntry,
  StoreFigures,
  StoreParameter,
  StoresResponse,
  storeDayOfKey,
  TrendPoint,
  TrendSeries,
  TrendsQuery,
  TrendsResponse,
  UploadRequest,
  UploadUrlResponse,
  type WeekChange,
  WeekOverWeek,
  weekOverWeek,
} from './api/index';
export * from './canonical-row.schema';
export * from './company-metrics';
export * from './company-metrics.schema';
export * from './dates';
export * from './errors';
export * from './html';
export * from './json-array-scanner';
export * from './keys';
export * from './metrics';
export * from './money';
export * from './order';
export * from './product-metrics';
export * from './product-metrics.schema';
export * from './publication';
export {
  CrossStoreAccumulator,
  type DayQualityInput,
  dayQuality,
  hasStorePrefix,
  NO_FINDINGS,
  type QualityRow,
  TRANSACTION_PREFIX,
  UploadQualityAccumulator,
  uploadFindings,
  uploadQuality,
} from './quality';
export {
  CrossStoreDuplicate,
  DayLakeQuality,
  QUALITY_EXAMPLES,
  QualityReason,
  ReplacedUpload,
  TransactionFinding,
  UploadQuality,
  UploadQualityRecord,
} from './quality.schema';
export {
  amountCents,
  CHANNEL_RE,
  MARKETPLACE_COLUMNS,
  MARKETPLACE_LAKE_PREFIX,
  type MarketplaceColumn,
  type MarketplaceHeader,
  type MarketplaceReport,
  type MarketplaceRow,
  MarketplaceValidator,
  marketplaceDate,
  marketplaceProcessedKey,
  marketplaceRejectedKey,
  marketplaceSummaryKey,
  marketplaceUploadKey,
  parseMarketplaceFileName,
  parseMarketplaceLakeKey,
  parseReportId,
  REPORT_FILE_RE,
  reportId,
  resolveMarketplaceHeader,
  type StatusClass,
  statusClass,
  toMarketplaceRow,
} from './sources/marketplace';
export {
  CategoryFigures,
  MarketplaceKpiAccumulator,
  MarketplaceKpis,
  MarketplaceMetadata,
  MarketplaceSummary,
  MonthFigures,
  RegionFigures,
  TOP_STATES,
} from './sources/marketplace-kpis';
export {
  type CompiledMapping,
  checkMappedHeader,
  compileMapping,
  type MappedExport,
  mappingKey,
  PosMapping,
  RESERVED_SOURCES,
} from './sources/pos-mapping';
export {
  classifyUploadKey,
  mappedUploadKey,
  parseMappedFileName,
  SOURCE_RE,
  type UploadSource,
} from './sources/upload-source';
export * from './store-file';
export * from './store-file.schema';
export * from './store-summary.schema';
