import type { Static, TObject } from 'typebox';
import * as Type from 'typebox/type';
import type { ComputeSettings } from './compute';
import type { AnalyticsEngine } from './engine';
import type { QuerySettings } from './jobs';

/**
 * The variables the analytics functions read (infrastructure/locals.tf sets them; Terraform variables give the
 * defaults): the engine and Athena's workgroup and database, the workflow, the cache's lifetime, the synchronous
 * query's budget, and the life of a large result's link.
 */
export const AnalyticsEnv = {
  /** `duckdb` (default: embedded, in the function) or `athena`. */
  ANALYTICS_ENGINE: Type.Union([Type.Literal('duckdb'), Type.Literal('athena')], { default: 'duckdb' }),
  ATHENA_WORKGROUP: Type.Optional(Type.String({ minLength: 1 })),
  ATHENA_DATABASE: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{1,255}$' })),
  ANALYTICS_STATE_MACHINE_ARN: Type.String({ pattern: '^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:' }),
  /** How long an identical request is answered from the cache (the cache entry's TTL). */
  ANALYTICS_CACHE_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 30 * 86400, default: 86400 }),
  /** How long `GET /analytics/query` waits for its job to end before it answers 202 with the job. */
  ANALYTICS_QUERY_BUDGET_MS: Type.Integer({ minimum: 100, maximum: 25_000, default: 8000 }),
  /** Partitions larger than this in total go to a job answered 202 at once, without waiting for it. */
  ANALYTICS_SYNC_MAX_BYTES: Type.Integer({ minimum: 0, default: 64 * 1024 * 1024 }),
  /** How long a presigned link to a large result is valid. */
  RESULT_URL_EXPIRES_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
} as const;

/** The analytics variables as `readConfig` gives them, with the bucket and table every function reads. */
export type AnalyticsConfig = Static<TObject<typeof AnalyticsEnv>> & {
  BUCKET_NAME: string;
  SALES_TABLE: string;
};

/** What the run step needs, from the configuration and the engine it selected. */
export function computeSettings(config: AnalyticsConfig, engine: AnalyticsEngine): ComputeSettings {
  return {
    bucket: config.BUCKET_NAME,
    table: config.SALES_TABLE,
    engine,
    cacheTtlSeconds: config.ANALYTICS_CACHE_TTL_SECONDS,
  };
}

/** What `GET /analytics/query` needs, from the configuration (no engine: the job computes). */
export function querySettings(config: AnalyticsConfig): QuerySettings {
  return {
    bucket: config.BUCKET_NAME,
    table: config.SALES_TABLE,
    stateMachineArn: config.ANALYTICS_STATE_MACHINE_ARN,
    budgetMs: config.ANALYTICS_QUERY_BUDGET_MS,
    maxBytes: config.ANALYTICS_SYNC_MAX_BYTES,
    linkSeconds: config.RESULT_URL_EXPIRES_SECONDS,
  };
}
