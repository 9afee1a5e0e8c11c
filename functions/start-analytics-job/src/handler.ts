import { AnalyticsEnv, newJob, submitJob, validateRequest } from '@tillflow/analytics';
import { defineHttpHandler, Env, jsonBody, requesterOf } from '@tillflow/aws';
import { type AnalyticsJobAccepted, ValidationError } from '@tillflow/core';

/**
 * `POST /analytics/jobs` with `{"operation", "parameters"}`: the request checked against the operation's schema, the
 * job recorded (`JOB#<id>`, QUEUED, with its requester) and the analytics-job workflow started under the job's id.
 * Answers 202 with the job's link; the caller polls `GET /analytics/jobs/{id}`.
 */
export const handler = defineHttpHandler(
  {
    name: 'start-analytics-job',
    config: {
      SALES_TABLE: Env.SALES_TABLE,
      ANALYTICS_STATE_MACHINE_ARN: AnalyticsEnv.ANALYTICS_STATE_MACHINE_ARN,
      ANALYTICS_ENGINE: AnalyticsEnv.ANALYTICS_ENGINE,
    },
  },
  async (event, { config, logger }) => {
    const body = jsonBody(event);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('the body must be an object: {"operation": …, "parameters": {…}}');
    }
    const { operation, parameters, ...rest } = body as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0)
      throw new ValidationError(`unknown field ${extra.join(', ')}: the body takes operation, parameters`);
    const request = validateRequest(operation, parameters ?? {});
    const job = newJob(request, requesterOf(event), config.ANALYTICS_ENGINE, new Date());
    await submitJob(config.SALES_TABLE, config.ANALYTICS_STATE_MACHINE_ARN, job);
    logger.info('analytics job started', { jobId: job.job_id, operation: job.operation, requester: job.requester });
    const self = `/analytics/jobs/${job.job_id}`;
    const answer: AnalyticsJobAccepted = {
      job_id: job.job_id,
      status: job.status,
      operation: request.operation,
      links: { self },
    };
    return { statusCode: 202, headers: { location: self }, body: answer };
  },
);
