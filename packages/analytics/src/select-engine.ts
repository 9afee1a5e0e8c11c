import { getObject } from '@tillflow/aws';
import { ConfigError } from '@tillflow/core';
import { athenaEngine } from './athena-engine';
import { duckDbEngine } from './duckdb-engine';
import type { AnalyticsEngine } from './engine';

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
