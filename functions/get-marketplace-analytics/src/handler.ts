import { defineHttpRoutes, Env } from '@tillflow/aws';
import { MarketplaceQuery, MarketplaceReportsQuery } from '@tillflow/core';
import { readMarketplaceAnalytics } from './read';
import { listMarketplaceReports } from './reports';

const DEFAULT_LIMIT = 100;

/**
 * `GET /analytics/marketplace?report=<channel>/<name>`: a marketplace report's KPIs, top ship-states, categories and
 * monthly trend, read from the summary process-upload computed when the report was uploaded (one small object, so
 * the route is as cheap as its bucket read); 400 for a malformed report name, 404 for a report never processed.
 * `GET /analytics/marketplace/reports?channel=&cursor=&limit=`: the uploaded reports to choose from, with their counts.
 */
export const handler = defineHttpRoutes(
  { name: 'get-marketplace-analytics', config: { BUCKET_NAME: Env.BUCKET_NAME } },
  (route) => ({
    'GET /analytics/marketplace': route({ query: MarketplaceQuery }, async (_event, { config, query, logger }) => {
      const answer = await readMarketplaceAnalytics(config.BUCKET_NAME, query.report, new Date());
      logger.info('marketplace analytics read', { report: query.report, records: answer.metadata.total_records });
      return { statusCode: 200, body: answer };
    }),
    'GET /analytics/marketplace/reports': route(
      { query: MarketplaceReportsQuery },
      async (_event, { config, query, logger }) => {
        const body = await listMarketplaceReports(config.BUCKET_NAME, {
          ...query,
          limit: query.limit ?? DEFAULT_LIMIT,
        });
        logger.info('marketplace reports listed', { reports: body.reports.length, more: body.next_cursor !== null });
        return { statusCode: 200, body };
      },
    ),
  }),
);
