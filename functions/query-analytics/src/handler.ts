import {
  AnalyticsEnv,
  computeSettings,
  lakeFilesOf,
  newJob,
  parametersFromQuery,
  queryOrQueue,
  validateRequest,
} from '@tillflow/analytics';
import { selectEngine } from '@tillflow/analytics/engines';
import { defineHttpHandler, Env, requesterOf } from '@tillflow/aws';
import { type AnalyticsJobAccepted, AnalyticsQueryParameters } from '@tillflow/core';

/**
 * `GET /analytics/query?operation=…&from=…&to=…`: a small operation answered at once (200, the job with its result)
 * when its partitions are small enough and it finishes within `ANALYTICS_QUERY_BUDGET_MS`; otherwise the same request
 * becomes a job of the analytics-job workflow and the answer is 202 with its link.
 */
export const handler = defineHttpHandler(
  {
    name: 'query-analytics',
    config: { BUCKET_NAME: Env.BUCKET_NAME, SALES_TABLE: Env.SALES_TABLE, ...AnalyticsEnv },
    query: AnalyticsQueryParameters,
  },
  async (_event, { config, query, logger }) => {
    const request = validateRequest(query.operation, parametersFromQuery(query.operation, query));
    const engine = selectEngine(config);
    const lake = await lakeFilesOf(config.BUCKET_NAME, request);
    const job = newJob(request, requesterOf(_event), engine.name, new Date());
    const outcome = await queryOrQueue(request, job, computeSettings(config, engine), lake);
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
