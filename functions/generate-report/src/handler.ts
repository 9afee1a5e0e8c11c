import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { ReportEvent } from './event';
import { generateReport, type ReportResult } from './publish-report';

/**
 * The daily report: company summary, stores reported against `EXPECTED_STORES`, payment mix, top products, anomalies,
 * trends and recommendations. Kept under `reports/` and published to the report topic.
 */
export const handler = defineHandler(
  {
    name: 'generate-report',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      REPORT_TOPIC_ARN: Env.REPORT_TOPIC_ARN,
      EXPECTED_STORES: Env.EXPECTED_STORES,
    },
    event: ReportEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<ReportResult> => {
    const result = await generateReport(config.BUCKET_NAME, config.REPORT_TOPIC_ARN, config.EXPECTED_STORES, event);
    logger.info('report published', { key: result.textKey, messageId: result.messageId });
    return result;
  },
);
