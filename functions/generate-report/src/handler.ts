import { analysisCorrelationId, defineHandler, Env, publicationLease } from '@tillflow/aws';
import { ReportEvent } from './event';
import { generateReport, type ReportResult } from './publish-report';

/**
 * The daily report: company summary, stores reported against `EXPECTED_STORES`, payment mix, top products, anomalies,
 * trends and recommendations. Kept under `reports/` and published to the report topic, once per date and revision:
 * a re-run of a day whose report is out publishes nothing.
 */
export const handler = defineHandler(
  {
    name: 'generate-report',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      REPORT_TOPIC_ARN: Env.REPORT_TOPIC_ARN,
      EXPECTED_STORES: Env.EXPECTED_STORES,
      SALES_TABLE: Env.SALES_TABLE,
    },
    event: ReportEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, lambda }): Promise<ReportResult> => {
    const lease = publicationLease(config.SALES_TABLE, lambda);
    const result = await generateReport(
      config.BUCKET_NAME,
      config.REPORT_TOPIC_ARN,
      config.EXPECTED_STORES,
      event,
      lease,
    );
    if (result.status === 'published') logger.info('report published', { key: result.textKey, id: result.messageId });
    else logger.info('report not published again', { reason: result.reason, revision: result.revision });
    return result;
  },
);
