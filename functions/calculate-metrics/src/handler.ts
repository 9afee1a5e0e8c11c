import { defineHandler, Env, getObject } from '@tillflow/aws';
import { parquetToRows } from '@tillflow/columnar';
import { type StoreDayFigures, summarizeStoreDay } from '@tillflow/core';
import { CalculateMetricsEvent } from './event';

/** Computes a store-day's figures from its Parquet (the accepted rows), per shared/DESIGN.md's metric definitions. */
export const handler = defineHandler(
  {
    name: 'calculate-metrics',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    event: CalculateMetricsEvent,
    correlationId: (e) => e.processedKey,
  },
  async (event, { config, logger }): Promise<StoreDayFigures> => {
    const { body } = await getObject(config.BUCKET_NAME, event.processedKey);
    const figures = summarizeStoreDay(event.storeId, event.date, parquetToRows(body));
    logger.info('store-day figures computed', { lines: figures.lines, transactions: figures.transactions });
    return figures;
  },
);
