import { defineHandler, Env } from '@tillflow/aws';
import { WriteMetricsEvent } from './event';
import { recordUpload, type UploadWrite } from './record';

/**
 * Stores the store-day summary in DynamoDB and the upload's quality record. A corrected upload replaces the figures;
 * an older version delivered late does not (see putStoreSummary). The store index (`GET /stores`) learns the store's
 * day too. A store-day file rejected whole has its quality recorded only.
 */
export const handler = defineHandler(
  {
    name: 'write-metrics',
    config: { SALES_TABLE: Env.SALES_TABLE },
    event: WriteMetricsEvent,
    correlationId: (e) => `${e.sourceKey}#${e.etag}`,
  },
  async (event, { config, logger }): Promise<UploadWrite> => {
    const result = await recordUpload(config.SALES_TABLE, event);
    logger.info('upload recorded', { ...result });
    return result;
  },
);
