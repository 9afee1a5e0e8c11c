import type { TObject, TSchema } from 'typebox';
import * as Type from 'typebox/type';
import { AnalyticsQuery, AnalyticsResponse } from './analytics.schema';
import { DatesResponse, StoresResponse } from './catalog.schema';
import { ApiError } from './common.schema';
import { DownloadQuery, DownloadUrlResponse } from './download.schema';
import { FilesQuery, FilesResponse, RejectionsQuery, RejectionsResponse } from './files.schema';
import { HealthResponse } from './health.schema';
import {
  AnalyticsJobAccepted,
  AnalyticsJobPath,
  AnalyticsJobRequest,
  AnalyticsJobView,
  AnalyticsQueryParameters,
} from './jobs.schema';
import {
  MarketplaceAnalyticsResponse,
  MarketplaceQuery,
  MarketplaceReportsQuery,
  MarketplaceReportsResponse,
} from './marketplace.schema';
import { QualityQuery, QualityResponse } from './quality.schema';
import { ReportPath, ReportQuery, ReportResponse } from './report.schema';
import { TrendsQuery, TrendsResponse } from './trends.schema';
import { UploadRequest, UploadUrlResponse } from './uploads.schema';

/** A response of a route: its schema and media type (JSON unless said). */
export interface ApiResponseSpec {
  description: string;
  schema?: TSchema;
  /** Extra media types the same status may answer with (`text/html` for a report). */
  alternatives?: readonly string[];
}

/** One route of the HTTP API, as the OpenAPI document states it and as the handlers validate it. */
export interface ApiRouteSpec {
  method: 'GET' | 'POST';
  /** API Gateway's path syntax: `/reports/{date}`. */
  path: string;
  operationId: string;
  summary: string;
  /** The function that serves it (`functions/<name>`). */
  handler: string;
  query?: TObject;
  params?: TObject;
  body?: TObject;
  /** False for the routes that stay open when the JWT authorizer is on (`/health`). */
  authorized: boolean;
  responses: Readonly<Record<number, ApiResponseSpec>>;
}

/** The OpenAPI document's outline (its full shape is OpenAPI 3.1's own schema). */
const OpenApiDocumentShape = Type.Object(
  {
    openapi: Type.Literal('3.1.0'),
    info: Type.Object({ title: Type.String(), version: Type.String() }, { additionalProperties: true }),
    paths: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true },
);

const badRequest: ApiResponseSpec = { description: 'a parameter is missing or malformed', schema: ApiError };
const notFound = (what: string): ApiResponseSpec => ({ description: what, schema: ApiError });

/**
 * Every route of the HTTP API, once: the OpenAPI document (`openApiDocument`) is generated from this table and each
 * handler validates its query and path with the same schemas, so the document cannot drift from what is checked.
 */
export const API_ROUTE_SPECS: readonly ApiRouteSpec[] = [
  {
    method: 'POST',
    path: '/uploads',
    operationId: 'createUpload',
    summary: 'A presigned PUT for one store file, marketplace report or mapped POS export under uploads/',
    handler: 'generate-upload-url',
    body: UploadRequest,
    authorized: true,
    responses: { 200: { description: 'the upload URL', schema: UploadUrlResponse }, 400: badRequest },
  },
  {
    method: 'GET',
    path: '/analytics',
    operationId: 'getAnalytics',
    summary: "A day's company KPIs, stores, products, insights and status (default: the latest analysed day)",
    handler: 'get-analytics',
    query: AnalyticsQuery,
    authorized: true,
    responses: {
      200: { description: "the day's analytics", schema: AnalyticsResponse },
      304: { description: 'unchanged since the ETag given in If-None-Match (a complete past day)' },
      400: badRequest,
      404: notFound('the date has no analysis (nearest_dates lists the closest analysed days), or none exists'),
    },
  },
  {
    method: 'GET',
    path: '/analytics/marketplace',
    operationId: 'getMarketplaceAnalytics',
    summary: "A marketplace order report's KPIs, top ship-states, categories and months (computed at upload)",
    handler: 'get-marketplace-analytics',
    query: MarketplaceQuery,
    authorized: true,
    responses: {
      200: { description: "the report's analytics", schema: MarketplaceAnalyticsResponse },
      400: badRequest,
      404: notFound('no marketplace report of that name has been processed'),
    },
  },
  {
    method: 'GET',
    path: '/analytics/marketplace/reports',
    operationId: 'listMarketplaceReports',
    summary: 'The uploaded marketplace reports, with when each landed and its records accepted and rejected',
    handler: 'get-marketplace-analytics',
    query: MarketplaceReportsQuery,
    authorized: true,
    responses: { 200: { description: 'a page of reports', schema: MarketplaceReportsResponse }, 400: badRequest },
  },
  {
    method: 'GET',
    path: '/trends',
    operationId: 'getTrends',
    summary: 'Daily series of the company (and one store), moving averages, week over week, product trends',
    handler: 'get-trends',
    query: TrendsQuery,
    authorized: true,
    responses: {
      200: { description: 'the series', schema: TrendsResponse },
      400: badRequest,
      404: notFound('no day has been analysed yet'),
    },
  },
  {
    method: 'GET',
    path: '/stores',
    operationId: 'listStores',
    summary: 'The stores: expected and seen, with their last reported day',
    handler: 'list-catalog',
    authorized: true,
    responses: { 200: { description: 'the stores', schema: StoresResponse } },
  },
  {
    method: 'GET',
    path: '/dates',
    operationId: 'listDates',
    summary: 'The analysed days, newest first',
    handler: 'list-catalog',
    authorized: true,
    responses: { 200: { description: 'the analysed days', schema: DatesResponse } },
  },
  {
    method: 'GET',
    path: '/files',
    operationId: 'listFiles',
    summary: 'A page of the uploaded, processed or rejected files',
    handler: 'list-files',
    query: FilesQuery,
    authorized: true,
    responses: { 200: { description: 'a page of files', schema: FilesResponse }, 400: badRequest },
  },
  {
    method: 'GET',
    path: '/files/rejections',
    operationId: 'listRejections',
    summary: "A page of a rejected file's lines with their reasons",
    handler: 'list-files',
    query: RejectionsQuery,
    authorized: true,
    responses: {
      200: { description: 'a page of rejected lines', schema: RejectionsResponse },
      400: badRequest,
      404: notFound('no rejected file has that key'),
    },
  },
  {
    method: 'GET',
    path: '/download-url',
    operationId: 'createDownloadUrl',
    summary: 'A presigned GET (15 minutes) for a key under processed/, rejected/, reports/ or quicksight/',
    handler: 'generate-download-url',
    query: DownloadQuery,
    authorized: true,
    responses: {
      200: { description: 'the download URL', schema: DownloadUrlResponse },
      400: badRequest,
      404: notFound('no object has that key'),
    },
  },
  {
    method: 'GET',
    path: '/reports/{date}',
    operationId: 'getReport',
    summary: "The day's report as sent, text and HTML",
    handler: 'get-report',
    params: ReportPath,
    query: ReportQuery,
    authorized: true,
    responses: {
      200: { description: 'the report', schema: ReportResponse, alternatives: ['text/plain', 'text/html'] },
      400: badRequest,
      404: notFound('the day has no report'),
    },
  },
  {
    method: 'GET',
    path: '/quality',
    operationId: 'getQuality',
    summary:
      "The day's data quality: lines accepted and rejected by reason, duplicate transaction ids within and across files, store-prefix mismatches, corrections, late and missing stores, every upload",
    handler: 'get-quality',
    query: QualityQuery,
    authorized: true,
    responses: {
      200: { description: "the day's data quality", schema: QualityResponse },
      400: badRequest,
      404: notFound('nothing was uploaded for that date'),
    },
  },
  {
    method: 'POST',
    path: '/analytics/jobs',
    operationId: 'startAnalyticsJob',
    summary: 'Starts an analytics job (the analytics-job workflow) of one operation over the lake',
    handler: 'start-analytics-job',
    body: AnalyticsJobRequest,
    authorized: true,
    responses: { 202: { description: 'the job, QUEUED', schema: AnalyticsJobAccepted }, 400: badRequest },
  },
  {
    method: 'GET',
    path: '/analytics/jobs/{id}',
    operationId: 'getAnalyticsJob',
    summary: "A job's status and, once it succeeded, its result (inline up to 1,000 rows, else a presigned link)",
    handler: 'get-analytics-job',
    params: AnalyticsJobPath,
    authorized: true,
    responses: {
      200: { description: 'the job', schema: AnalyticsJobView },
      400: badRequest,
      404: notFound('no job has that id (or it has expired)'),
    },
  },
  {
    method: 'GET',
    path: '/analytics/query',
    operationId: 'queryAnalytics',
    summary:
      'Runs an operation as a job and waits for it within a time budget (an identical request from the cache at once); a 202 with the job when it takes longer',
    handler: 'query-analytics',
    query: AnalyticsQueryParameters,
    authorized: true,
    responses: {
      200: { description: 'the ended job: its result, or its failure and reason', schema: AnalyticsJobView },
      202: { description: 'the job is still running: poll links.self', schema: AnalyticsJobAccepted },
      400: badRequest,
    },
  },
  {
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Whether the bucket and the table answer, and the version',
    handler: 'get-health',
    authorized: false,
    responses: {
      200: { description: 'every dependency answers', schema: HealthResponse },
      503: { description: 'a dependency does not answer', schema: HealthResponse },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    handler: 'get-health',
    authorized: true,
    responses: { 200: { description: 'the OpenAPI 3.1 document', schema: OpenApiDocumentShape } },
  },
];
