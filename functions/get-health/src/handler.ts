import { defineHttpRoutes, Env } from '@tillflow/aws';
import { openApiDocument } from '@tillflow/core';
import pkg from '../package.json' with { type: 'json' };
import { checkHealth } from './health';

/**
 * `GET /health`: whether the bucket and the sales table answer (200, else 503 with the same body) and the version;
 * open without a JWT, for load balancers and uptime checks. `GET /openapi.json`: the OpenAPI 3.1 document, generated
 * from the schemas the handlers validate with, its server the API's own address.
 */
export const handler = defineHttpRoutes(
  { name: 'get-health', config: { BUCKET_NAME: Env.BUCKET_NAME, SALES_TABLE: Env.SALES_TABLE } },
  (route) => ({
    'GET /health': route({}, async (_event, { config, logger }) => {
      const body = await checkHealth(config.BUCKET_NAME, config.SALES_TABLE, pkg.version);
      if (body.status !== 'ok') logger.warn('unhealthy', { checks: body.checks });
      return { statusCode: body.status === 'ok' ? 200 : 503, body };
    }),
    'GET /openapi.json': route({}, async (event) => {
      const host = event.headers?.host ?? event.requestContext.domainName;
      const proto = event.headers?.['x-forwarded-proto'] ?? (host?.startsWith('127.0.0.1') ? 'http' : 'https');
      return {
        statusCode: 200,
        body: openApiDocument({ version: pkg.version, ...(host ? { serverUrl: `${proto}://${host}` } : {}) }),
      };
    }),
  }),
);
