import type { TObject, TSchema } from 'typebox';
import { API_ROUTE_SPECS, type ApiRouteSpec } from './routes';

/** What the document says about where it is served. */
export interface OpenApiOptions {
  version: string;
  /** The API's base URL (the request's own origin when served). */
  serverUrl?: string;
}

/** The schema as plain JSON Schema: TypeBox keeps its own markers under symbols, which JSON drops. */
function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

function parameters(where: 'query' | 'path', schema: TObject | undefined): Record<string, unknown>[] {
  if (!schema) return [];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = plain(property as TSchema);
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(route: ApiRouteSpec, authorized: boolean): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content: Record<string, unknown> = {};
    if (response.schema) content['application/json'] = { schema: plain(response.schema) };
    for (const type of response.alternatives ?? []) content[type] = { schema: { type: 'string' } };
    responses[status] = { description: response.description, ...(response.schema ? { content } : {}) };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: plain(route.body) } } } }
      : {}),
    responses,
    ...(authorized ? {} : { security: [] }),
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from {@link API_ROUTE_SPECS}: the same TypeBox schemas the
 * handlers validate with. TypeBox writes JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect, so each schema
 * goes in as it is. Every route but `/health` declares the bearer (JWT) scheme, which applies in AWS when the
 * authorizer is on; locally the `x-api-key` header does when `TILLFLOW_API_KEY` is set.
 */
export function openApiDocument(options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTE_SPECS) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route, route.authorized);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tillflow API',
      version: options.version,
      description:
        'Sales figures, trends, files and reports of the Tillflow pipeline. Money is in decimal units with two ' +
        'decimals. Errors are {"error": {"code", "message"}}.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito (AWS, enable_auth)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'TILLFLOW_API_KEY (local platform)' },
      },
    },
    security: [{ jwt: [] }, { apiKey: [] }],
    paths,
  };
}
