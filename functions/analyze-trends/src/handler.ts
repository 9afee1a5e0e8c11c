import { analyseFacts, analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { analyzeTrends } from '@tillflow/insights';
import { TrendsEvent } from './event';
import { type TrendStepResult, trendStepResult } from './trend-step';

/**
 * Insight branch of daily-analysis: week over week for the company, each store and each product, with a paired test
 * and a materiality band (statistical engine, deterministic). Writes the trends under `analysis/` and returns their key.
 */
export const handler = defineHandler(
  {
    name: 'analyze-trends',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    event: TrendsEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<TrendStepResult> => {
    const { key, items } = await analyseFacts(config.BUCKET_NAME, event, 'trends.json', analyzeTrends);
    const result = trendStepResult(key, items);
    logger.info('trends analysed', { count: result.count, ...result.directions });
    return result;
  },
);
