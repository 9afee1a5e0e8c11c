import { analysisCorrelationId, defineHandler, Env, emailSettings, publicationLease } from '@tillflow/aws';
import { ReportEvent } from './event';
import { generateReport, type ReportResult } from './publish-report';

/**
 * The daily report: company summary, stores reported against `EXPECTED_STORES`, payment mix, top products, anomalies,
 * trends and recommendations. Kept under `reports/`, published to the report topic and, when recipients are
 * configured, emailed as HTML through SES, once per date and revision on each: a re-run of a day whose report is
 * out sends nothing.
 */
export const handler = defineHandler(
  {
    name: 'generate-report',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      REPORT_TOPIC_ARN: Env.REPORT_TOPIC_ARN,
      EXPECTED_STORES: Env.EXPECTED_STORES,
      SALES_TABLE: Env.SALES_TABLE,
      REPORT_EMAIL_RECIPIENTS: Env.REPORT_EMAIL_RECIPIENTS,
      REPORT_EMAIL_SENDER: Env.REPORT_EMAIL_SENDER,
    },
    event: ReportEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, lambda }): Promise<ReportResult> => {
    const targets = {
      bucket: config.BUCKET_NAME,
      table: config.SALES_TABLE,
      topicArn: config.REPORT_TOPIC_ARN,
      expectedStores: config.EXPECTED_STORES,
      email: emailSettings(config.REPORT_EMAIL_RECIPIENTS, config.REPORT_EMAIL_SENDER),
    };
    const result = await generateReport(targets, event, publicationLease(config.SALES_TABLE, lambda));
    if (result.status === 'published') logger.info('report published', { key: result.textKey, id: result.messageId });
    else logger.info('report not published again', { reason: result.reason, revision: result.revision });
    logger.info('report email', { ...result.email });
    return result;
  },
);
