import { analyseFacts, analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { detectAnomalies } from '@tillflow/insights';
import { type AnomalyStepResult, anomalyStepResult } from './anomaly-step';
import { AnomaliesEvent } from './event';

/**
 * Insight branch of daily-analysis: each reporting store's figures against its own history and against its peers
 * (statistical engine, deterministic). Writes the anomalies under `analysis/` and returns their key.
 */
export const handler = defineHandler(
  {
    name: 'detect-anomalies',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    event: AnomaliesEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<AnomalyStepResult> => {
    const { key, items } = await analyseFacts(config.BUCKET_NAME, event, 'anomalies.json', detectAnomalies);
    const result = anomalyStepResult(key, items);
    logger.info('anomalies detected', { count: result.count, ...result.severities });
    return result;
  },
);
