import { analysisCorrelationId, defineHandler, Env, getJson, MetricUnit, putDailyInsights } from '@tillflow/aws';
import { combineInsights, countInsights, type InsightCounts } from './combine';
import { CombineInsightsEvent } from './event';

/**
 * Stores the day's anomalies, trends and recommendations as its one insights item (`INSIGHTS` / `DATE#<date>`),
 * replacing the previous analysis's, unless a later revision already wrote it.
 */
export const handler = defineHandler(
  {
    name: 'combine-insights',
    config: { SALES_TABLE: Env.SALES_TABLE, BUCKET_NAME: Env.BUCKET_NAME },
    event: CombineInsightsEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, metrics }): Promise<InsightCounts & { written: boolean }> => {
    const insights = combineInsights(await getJson(config.BUCKET_NAME, event.insightsKey));
    const written = await putDailyInsights(config.SALES_TABLE, insights, event.revision);
    const counts = countInsights(insights);
    // From the execution's start to the day's insights stored: the analysis's duration (docs/operations.md "Metrics").
    if (event.startedAt && written) {
      metrics.addMetric('AnalysisDuration', MetricUnit.Milliseconds, Date.now() - Date.parse(event.startedAt));
    }
    logger.info(written ? 'insights stored' : 'insights superseded by a later revision', { ...counts });
    return { ...counts, written };
  },
);
