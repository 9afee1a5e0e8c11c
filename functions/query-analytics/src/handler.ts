import {
  AnalyticsEnv,
  lakeFilesOf,
  newJob,
  parametersFromQuery,
  queryOrQueue,
  querySettings,
  validateRequest,
} from '@tillflow/analytics';
import { defineHttpHandler, Env, requesterOf } from '@tillflow/aws';
import { type AnalyticsJobAccepted, AnalyticsQueryParameters } from '@tillflow/core';

/**
 * `GET /analytics/query?operation=…&from=…&to=…`: an identical request's cached result at once, or the request as a
 * job of the analytics-job workflow awaited for `ANALYTICS_QUERY_BUDGET_MS`: 200 with the ended job (its result, or
 * its failure) when it ends in time, else 202 with its link. The job computes (DuckDB in run-analytics-job), so this
 * API function carries no engine.
 */
export const handler = defineHttpHandler(
  {
    name: 'query-analytics',
    config: { BUCKET_NAME: Env.BUCKET_NAME, SALES_TABLE: Env.SALES_TABLE, ...AnalyticsEnv },
    query: AnalyticsQueryParameters,
  },
  async (event, { config, query, logger }) => {
    const request = validateRequest(query.operation, parametersFromQuery(query.operation, query));
    const lake = await lakeFilesOf(config.BUCKET_NAME, request);
    const job = newJob(request, requesterOf(event), config.ANALYTICS_ENGINE, new Date());
    const outcome = await queryOrQueue(request, job, querySettings(config), lake);
    logger.info('analytics query', { jobId: job.job_id, operation: request.operation, outcome: outcome.kind });
    if (outcome.kind === 'answered') return { statusCode: 200, body: outcome.view };
    const self = `/analytics/jobs/${job.job_id}`;
    const answer: AnalyticsJobAccepted = {
      job_id: job.job_id,
      status: 'QUEUED',
      operation: request.operation,
      links: { self },
    };
    return { statusCode: 202, headers: { location: self }, body: answer };
  },
);
