import { AnalyticsEnv, viewJob } from '@tillflow/analytics';
import { defineHttpHandler, Env, getAnalyticsJob } from '@tillflow/aws';
import { AnalyticsJobPath } from '@tillflow/core';

/**
 * `GET /analytics/jobs/{id}`: the job's status, timestamps and requester; once it succeeded, its result inline (at
 * most 1,000 rows) or a presigned link to `jobs/<id>/result.json`; once it failed, the reason.
 */
export const handler = defineHttpHandler(
  {
    name: 'get-analytics-job',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      SALES_TABLE: Env.SALES_TABLE,
      RESULT_URL_EXPIRES_SECONDS: AnalyticsEnv.RESULT_URL_EXPIRES_SECONDS,
    },
    params: AnalyticsJobPath,
  },
  async (_event, { config, params }) => {
    const job = await getAnalyticsJob(config.SALES_TABLE, params.id, Math.floor(Date.now() / 1000));
    const view = await viewJob(config.BUCKET_NAME, job, config.RESULT_URL_EXPIRES_SECONDS);
    return { statusCode: 200, body: view };
  },
);
