import { AnalyticsEnv, computeSettings, runJob } from '@tillflow/analytics';
import { selectEngine } from '@tillflow/analytics/engines';
import { defineHandler, Env } from '@tillflow/aws';
import { RunJobEvent } from './event';

/**
 * The analytics-job workflow's run step: the job's operation over the lake partitions of its range (DuckDB here, or
 * Athena when configured), or an identical request's cached result; the rows stored under `jobs/<id>/` and the job
 * SUCCEEDED. A failure is thrown: the workflow's Catch records it (fail-analytics-job).
 */
export const handler = defineHandler(
  {
    name: 'run-analytics-job',
    config: { BUCKET_NAME: Env.BUCKET_NAME, SALES_TABLE: Env.SALES_TABLE, ...AnalyticsEnv },
    event: RunJobEvent,
    correlationId: (e) => e.jobId,
  },
  async (event, { config, logger }) => {
    const started = performance.now();
    const outcome = await runJob(event.jobId, computeSettings(config, selectEngine(config)));
    logger.info('analytics job ran', { ...outcome, ms: Math.round(performance.now() - started) });
    return outcome;
  },
);
