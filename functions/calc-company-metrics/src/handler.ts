import { analysisCorrelationId, defineHandler, Env } from '@tillflow/aws';
import { type CompanyMetricsResult, calcCompanyMetrics } from './company';
import { CompanyMetricsEvent } from './event';

/** Sums the day's store figures into the company figures and stores them; adds them to the facts document. */
export const handler = defineHandler(
  {
    name: 'calc-company-metrics',
    config: { SALES_TABLE: Env.SALES_TABLE, BUCKET_NAME: Env.BUCKET_NAME, EXPECTED_STORES: Env.EXPECTED_STORES },
    event: CompanyMetricsEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger }): Promise<CompanyMetricsResult> => {
    const result = await calcCompanyMetrics(config.SALES_TABLE, config.BUCKET_NAME, config.EXPECTED_STORES, event);
    logger.info('company figures computed', {
      stores_reported: result.stores_reported,
      stores_expected: result.stores_expected,
      written: result.written,
    });
    return result;
  },
);
