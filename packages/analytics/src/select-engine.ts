import { getObject } from '@tillflow/aws';
import { ConfigError } from '@tillflow/core';
import * as Type from 'typebox/type';
import { athenaEngine } from './athena-engine';
import { duckDbEngine } from './duckdb-engine';
import type { AnalyticsEngine } from './engine';

/** The configuration the engines read (Terraform: `var.analytics_engine`, the workgroup and database of analytics.tf). */
export const AnalyticsEnv = {
  /** `duckdb` (default: embedded, in the function) or `athena`. */
  ANALYTICS_ENGINE: Type.Union([Type.Literal('duckdb'), Type.Literal('athena')], { default: 'duckdb' }),
  ATHENA_WORKGROUP: Type.Optional(Type.String({ minLength: 1 })),
  ATHENA_DATABASE: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{1,255}$' })),
} as const;

/** The engine the configuration names; Athena needs its workgroup and database (a ConfigError names the missing one). */
export function selectEngine(config: {
  BUCKET_NAME: string;
  ANALYTICS_ENGINE: 'duckdb' | 'athena';
  ATHENA_WORKGROUP?: string | undefined;
  ATHENA_DATABASE?: string | undefined;
}): AnalyticsEngine {
  if (config.ANALYTICS_ENGINE === 'athena') {
    if (!config.ATHENA_WORKGROUP) throw new ConfigError('ATHENA_WORKGROUP: is required when ANALYTICS_ENGINE=athena');
    if (!config.ATHENA_DATABASE) throw new ConfigError('ATHENA_DATABASE: is required when ANALYTICS_ENGINE=athena');
    return athenaEngine({ workgroup: config.ATHENA_WORKGROUP, database: config.ATHENA_DATABASE });
  }
  return duckDbEngine({ fetch: async (key) => (await getObject(config.BUCKET_NAME, key)).body });
}
