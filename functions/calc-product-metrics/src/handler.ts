import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { ProductMetricsEvent } from './event';
import { calcProductMetrics, type ProductMetricsResult } from './products';

/** Aggregates the day's products over every store's Parquet rows and stores them; adds them to the facts document. */
export const handler = defineHandler(
  {
    name: 'calc-product-metrics',
    config: { SALES_TABLE: Env.SALES_TABLE, BUCKET_NAME: Env.BUCKET_NAME },
    event: ProductMetricsEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<ProductMetricsResult> => {
    const result = await calcProductMetrics(config.SALES_TABLE, config.BUCKET_NAME, event);
    logger.info('product figures computed', {
      files: result.files,
      products: result.total_products,
      written: result.written,
    });
    return result;
  },
);
