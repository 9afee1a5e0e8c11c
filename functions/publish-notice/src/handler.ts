import { analysisCorrelationId, defineHandler, Env, publicationLease } from '@tillflow/aws';
import { NoticeEvent } from './event';
import { type NoticeResult, publishNotice } from './notice';

/**
 * The no-data notice (report topic) and the partial-failure alert (alerts topic) of daily-analysis, each once per date
 * and revision: published by a function rather than by the ASL's own sns:publish Tasks so that a re-run of the day
 * (a manual start, a redrive) checks the day status before publishing again.
 */
export const handler = defineHandler(
  {
    name: 'publish-notice',
    config: {
      SALES_TABLE: Env.SALES_TABLE,
      REPORT_TOPIC_ARN: Env.REPORT_TOPIC_ARN,
      ALERTS_TOPIC_ARN: Env.ALERTS_TOPIC_ARN,
    },
    event: NoticeEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, lambda }): Promise<NoticeResult> => {
    const topics = { report: config.REPORT_TOPIC_ARN, alerts: config.ALERTS_TOPIC_ARN };
    const result = await publishNotice(topics, event, publicationLease(config.SALES_TABLE, lambda));
    logger.info(result.status === 'published' ? 'notice published' : 'notice not published again', {
      notice: result.notice,
      ...(result.status === 'skipped' ? { reason: result.reason, revision: result.revision } : {}),
    });
    return result;
  },
);
