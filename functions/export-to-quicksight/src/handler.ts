import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { ExportEvent } from './event';
import { type ExportedDataset, exportToQuickSight } from './export';

/**
 * The day's BI export: NDJSON per dataset (store summaries with every payment method, top products, anomalies,
 * trends, recommendations) under `quicksight/`, with a QuickSight manifest per dataset.
 */
export const handler = defineHandler(
  {
    name: 'export-to-quicksight',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    event: ExportEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<{ datasets: ExportedDataset[] }> => {
    const datasets = await exportToQuickSight(config.BUCKET_NAME, event);
    logger.info('datasets exported', Object.fromEntries(datasets.map((d) => [d.dataset, d.rows])));
    return { datasets };
  },
);
