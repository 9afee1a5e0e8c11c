import { defineHttpHandler, Env } from '@tillflow/aws';
import { MarketplaceQuery } from '@tillflow/core';
import { readMarketplaceAnalytics } from './read';

/**
 * `GET /analytics/marketplace?report=<channel>/<name>`: a marketplace report's KPIs, top ship-states, categories and
 * monthly trend, read from the summary process-upload computed when the report was uploaded (one small object, so
 * the route is as cheap as its bucket read). 400 for a malformed report name, 404 for a report never processed.
 */
export const handler = defineHttpHandler(
  { name: 'get-marketplace-analytics', config: { BUCKET_NAME: Env.BUCKET_NAME }, query: MarketplaceQuery },
  async (_event, { config, query, logger }) => {
    const answer = await readMarketplaceAnalytics(config.BUCKET_NAME, query.report, new Date());
    logger.info('marketplace analytics read', { report: query.report, records: answer.metadata.total_records });
    return { statusCode: 200, body: answer };
  },
);
