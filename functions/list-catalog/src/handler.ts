import { defineHttpRoutes, Env } from '@tillflow/aws';
import { listDates, listStores } from './catalog';

/**
 * `GET /stores` (every store with its last reported day) and `GET /dates` (the analysed days, newest first), both from
 * DynamoDB Queries of one partition each, never a scan.
 */
export const handler = defineHttpRoutes(
  { name: 'list-catalog', config: { SALES_TABLE: Env.SALES_TABLE, EXPECTED_STORES: Env.EXPECTED_STORES } },
  (route) => ({
    'GET /stores': route({}, async (_event, { config, logger }) => {
      const body = await listStores(config.SALES_TABLE, config.EXPECTED_STORES);
      logger.info('stores listed', { stores: body.stores.length });
      return { statusCode: 200, body };
    }),
    'GET /dates': route({}, async (_event, { config, logger }) => {
      const body = await listDates(config.SALES_TABLE);
      logger.info('dates listed', { dates: body.dates.length });
      return { statusCode: 200, body };
    }),
  }),
);
