import { AnalyticsEnv } from '@tillflow/analytics';
import { defineHandler, Env, emailSettings } from '@tillflow/aws';
import { emailJobOutcome } from './email';
import { EmailJobEvent } from './event';

/**
 * The analytics-job workflow's email step, after the SNS notification of either end: the job's outcome as an HTML
 * email through SES to `REPORT_EMAIL_RECIPIENTS` (the report's recipients), or nothing when none are configured. The
 * workflow catches its failure: an email that cannot go changes no job.
 */
export const handler = defineHandler(
  {
    name: 'email-analytics-job',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      SALES_TABLE: Env.SALES_TABLE,
      REPORT_EMAIL_RECIPIENTS: Env.REPORT_EMAIL_RECIPIENTS,
      REPORT_EMAIL_SENDER: Env.REPORT_EMAIL_SENDER,
      RESULT_URL_EXPIRES_SECONDS: AnalyticsEnv.RESULT_URL_EXPIRES_SECONDS,
    },
    event: EmailJobEvent,
    correlationId: (e) => e.jobId,
  },
  async (event, { config, logger }) => {
    const outcome = await emailJobOutcome(
      event.jobId,
      { bucket: config.BUCKET_NAME, table: config.SALES_TABLE, linkSeconds: config.RESULT_URL_EXPIRES_SECONDS },
      emailSettings(config.REPORT_EMAIL_RECIPIENTS, config.REPORT_EMAIL_SENDER),
    );
    logger.info('analytics job email', outcome);
    return outcome;
  },
);
