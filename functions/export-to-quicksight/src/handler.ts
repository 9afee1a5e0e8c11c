import { analysisCorrelationId, defineHandler, Env, publicationLease } from '@tillflow/aws';
import { ExportEvent } from './event';
import { type ExportResult, exportToQuickSight } from './export';

/**
 * The day's BI export: NDJSON per dataset (store summaries with every payment method, top products, anomalies,
 * trends, recommendations) under `quicksight/`, with a QuickSight manifest per dataset; once per date and revision.
 */
export const handler = defineHandler(
  {
    name: 'export-to-quicksight',
    config: { BUCKET_NAME: Env.BUCKET_NAME, SALES_TABLE: Env.SALES_TABLE },
    event: ExportEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, lambda }): Promise<ExportResult> => {
    const result = await exportToQuickSight(config.BUCKET_NAME, event, publicationLease(config.SALES_TABLE, lambda));
    if (result.status === 'exported') {
      logger.info('datasets exported', Object.fromEntries(result.datasets.map((d) => [d.dataset, d.rows])));
    } else logger.info('datasets not exported again', { reason: result.reason, revision: result.revision });
    return result;
  },
);
