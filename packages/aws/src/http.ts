import { createHash } from 'node:crypto';
import { NotFoundError, TillflowError, ValidationError } from '@tillflow/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Static, TObject, TProperties } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import * as Type from 'typebox/type';
import { Env } from './config';
import { defineHandler, type HandlerContext, type HandlerOptions, type LambdaHandler } from './handler';

/** A JSON answer: status and body; a string body with a content-type header is sent as it is (text, HTML). */
export interface HttpResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * The answer cannot change (a past, fully analysed day): the kit adds an `ETag` (a hash of the body) and
   * `Cache-Control: private, max-age=<seconds>`, and answers 304 without a body when `If-None-Match` names that ETag.
   * Without it, the answer is `Cache-Control: no-store`.
   */
  cacheSeconds?: number;
}

const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFIG_ERROR: 500,
  TRANSIENT_ERROR: 503,
};

/**
 * The API Gateway (HTTP API, payload v2) event as the kit checks it: an object with its request context. The rest is
 * API Gateway's to get right; a route's query, path and body are checked against the route's own schemas.
 */
const HttpEvent = Type.Unsafe<APIGatewayProxyEventV2>(
  Type.Object({ requestContext: Type.Object({ requestId: Type.String() }) }),
);

/** What an HTTP handler's body receives besides the event: the checked query and path parameters. */
export interface HttpContext<C, Q, R> extends HandlerContext<C> {
  /** The query string, checked against the route's `query` schema, numbers converted and defaults applied. */
  query: Q;
  /** The path parameters, checked against the route's `params` schema. */
  params: R;
}

/** The options of {@link defineHttpHandler}. */
export interface HttpHandlerOptions<P extends TProperties, Q extends TObject, R extends TObject>
  extends Omit<HandlerOptions<P, typeof HttpEvent>, 'idempotency' | 'event'> {
  /** The route's query parameters; a parameter it does not name is refused (a typo is not silently ignored). */
  query?: Q;
  /** The route's path parameters (`{date}` of `/reports/{date}`). */
  params?: R;
}

const NoParameters = Type.Object({});
type NoParameters = typeof NoParameters;

/** A compiled parameter schema, with what a 400 says about it. */
interface ParameterCheck {
  validator: Validator;
  schema: TObject;
  names: string[];
  where: 'query' | 'path';
}

function compileParameters(schema: TObject | undefined, where: 'query' | 'path'): ParameterCheck {
  const s = schema ?? NoParameters;
  return { validator: Compile(s), schema: s, names: Object.keys(s.properties), where };
}

/**
 * The parameters as the schema types them, or a ValidationError naming each bad one: API Gateway passes every
 * parameter as a string, so numbers are converted and defaults applied before the check.
 */
function readParameters(check: ParameterCheck, raw: Record<string, string | undefined> | undefined): unknown {
  const given = Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  const unknown = Object.keys(given).filter((name) => !check.names.includes(name));
  if (unknown.length > 0) {
    const allowed = check.names.length > 0 ? `; it takes ${check.names.join(', ')}` : '; it takes none';
    throw new ValidationError(`unknown ${check.where} parameter ${unknown.join(', ')}${allowed}`);
  }
  const value = check.validator.Default(check.validator.Convert(given));
  if (check.validator.Check(value)) return value;
  throw new ValidationError(describeParameterErrors(check, check.validator.Errors(value), given));
}

/** `query parameter days: must be <= 366 (got "400")`, one clause per parameter. */
function describeParameterErrors(
  { where, schema }: ParameterCheck,
  errors: readonly TLocalizedValidationError[],
  given: Record<string, unknown>,
): string {
  const clauses = new Map<string, string>();
  for (const error of errors) {
    if (error.keyword === 'required') {
      for (const name of error.params.requiredProperties) clauses.set(name, `${where} parameter ${name} is required`);
      continue;
    }
    const name = error.instancePath.split('/')[1];
    if (!name || clauses.has(name)) continue;
    const expected =
      error.keyword === 'enum'
        ? `must be one of ${error.params.allowedValues.join(', ')}`
        : error.keyword === 'pattern' || error.keyword === 'format'
          ? `is not ${(schema.properties[name] as { description?: string } | undefined)?.description ?? 'valid'}`
          : error.message;
    clauses.set(name, `${where} parameter ${name} ${expected} (got "${String(given[name])}")`);
  }
  return clauses.size > 0 ? [...clauses.values()].join('; ') : `the ${where} parameters are not valid`;
}

/** The error body of a Tillflow error: its code and message, and its `details` (say, `nearest_dates`) if it has any. */
function errorBody(error: TillflowError): { error: Record<string, unknown> } {
  const details = (error as { details?: Record<string, unknown> }).details;
  return { error: { code: error.code, message: error.message, ...details } };
}

/** The body of a route: the event and the context with its checked parameters. */
export type HttpBody<C, Q extends TObject, R extends TObject> = (
  event: APIGatewayProxyEventV2,
  ctx: HttpContext<C, Static<Q>, Static<R>>,
) => Promise<HttpResult>;

/** One route of a function that serves several ({@link defineHttpRoutes}), its schemas compiled. */
export interface HttpRoute<C> {
  run(event: APIGatewayProxyEventV2, ctx: HandlerContext<C>): Promise<HttpResult>;
}

function compileRoute<C, Q extends TObject, R extends TObject>(
  schemas: { query?: Q; params?: R },
  body: HttpBody<C, Q, R>,
): HttpRoute<C> {
  const queryCheck = compileParameters(schemas.query, 'query');
  const pathCheck = compileParameters(schemas.params, 'path');
  return {
    run: (event, ctx) => {
      const query = readParameters(queryCheck, event.queryStringParameters) as Static<Q>;
      const params = readParameters(pathCheck, event.pathParameters) as Static<R>;
      return body(event, { ...ctx, query, params });
    },
  };
}

/** Declares one route of {@link defineHttpRoutes}: its parameter schemas and its body. */
export type RouteBuilder<C> = <Q extends TObject = NoParameters, R extends TObject = NoParameters>(
  schemas: { query?: Q; params?: R },
  body: HttpBody<C, Q, R>,
) => HttpRoute<C>;

/**
 * An API Gateway (HTTP API, payload v2) handler. It checks the query and path parameters against the route's TypeBox
 * schemas (the ones the OpenAPI document is generated from) before the body runs, and is the one place where errors
 * become `{error: {code, message}}` with a status: Tillflow errors by their code, anything else a 500 without
 * internals. It adds CORS headers for the origins of `CORS_ALLOWED_ORIGINS` (in AWS, API Gateway's own CORS
 * configuration answers instead), and ETags for answers that cannot change (`cacheSeconds`).
 *
 * @example
 * ```ts
 * export const handler = defineHttpHandler(
 *   { name: 'get-report', config: { BUCKET_NAME: Env.BUCKET_NAME }, params: ReportPath, query: ReportQuery },
 *   async (_event, { config, params, query }) => ({ statusCode: 200, body: await readReport(config, params.date) }),
 * );
 * ```
 */
export function defineHttpHandler<
  P extends TProperties,
  Q extends TObject = NoParameters,
  R extends TObject = NoParameters,
>(
  options: HttpHandlerOptions<P, Q, R>,
  body: HttpBody<Static<TObject<P>>, Q, R>,
): LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const { query, params, ...rest } = options;
  const route = compileRoute({ ...(query ? { query } : {}), ...(params ? { params } : {}) }, body);
  return serve(rest, () => route);
}

/**
 * {@link defineHttpHandler} for a function that serves a route group (`GET /files` and `GET /files/rejections`):
 * each route key with its own schemas and body, chosen by the event's `routeKey`.
 *
 * @example
 * ```ts
 * export const handler = defineHttpRoutes({ name: 'list-catalog', config }, (route) => ({
 *   'GET /stores': route({}, async (_e, { config }) => ({ statusCode: 200, body: await listStores(config) })),
 *   'GET /dates': route({}, async (_e, { config }) => ({ statusCode: 200, body: await listDates(config) })),
 * }));
 * ```
 */
export function defineHttpRoutes<P extends TProperties>(
  options: Omit<HandlerOptions<P, typeof HttpEvent>, 'idempotency' | 'event'>,
  routes: (route: RouteBuilder<Static<TObject<P>>>) => Record<string, HttpRoute<Static<TObject<P>>>>,
): LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const table = routes((schemas, body) => compileRoute(schemas, body));
  return serve(options, (routeKey) => table[routeKey]);
}

function serve<P extends TProperties>(
  options: Omit<HandlerOptions<P, typeof HttpEvent>, 'idempotency' | 'event'>,
  pick: (routeKey: string) => HttpRoute<Static<TObject<P>>> | undefined,
): LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return defineHandler(
    {
      ...options,
      config: { ...options.config, CORS_ALLOWED_ORIGINS: Env.CORS_ALLOWED_ORIGINS },
      event: HttpEvent,
      correlationId: options.correlationId ?? ((e) => e.requestContext?.requestId),
    },
    async (event, ctx): Promise<APIGatewayProxyStructuredResultV2> => {
      const { CORS_ALLOWED_ORIGINS: origins } = ctx.config as { CORS_ALLOWED_ORIGINS?: string[] };
      const cors = corsHeaders(origins, header(event, 'origin'));
      let result: HttpResult;
      try {
        const route = pick(event.routeKey);
        if (!route) throw new NotFoundError(`this function does not serve ${event.routeKey}`);
        result = await route.run(event, { ...ctx, config: ctx.config as Static<TObject<P>> });
      } catch (error) {
        result = toErrorResult(error, ctx);
      }
      return toResponse(result, header(event, 'if-none-match'), cors);
    },
  );
}

function toErrorResult(error: unknown, ctx: HandlerContext<unknown>): HttpResult {
  if (error instanceof TillflowError) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    if (status >= 500) {
      ctx.logger.error('request failed', { error });
      // A configuration or dependency problem is the operator's to read in the logs, not the caller's.
      return { statusCode: status, body: { error: { code: error.code, message: publicMessage(status) } } };
    }
    return { statusCode: status, body: errorBody(error) };
  }
  ctx.logger.error('request failed', { error });
  return { statusCode: 500, body: { error: { code: 'INTERNAL_ERROR', message: publicMessage(500) } } };
}

function publicMessage(status: number): string {
  return status === 503 ? 'a dependency is unavailable; try again shortly' : 'internal error';
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway lower-cases header names in payload 2.0.
  return event.headers?.[name];
}

/** `Access-Control-Allow-Origin` for an allowed origin (or `*` when every origin is), else nothing. */
function corsHeaders(allowed: readonly string[] | undefined, origin: string | undefined): Record<string, string> {
  if (!allowed || allowed.length === 0) return {};
  if (allowed.includes('*')) return { 'access-control-allow-origin': '*' };
  return origin && allowed.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
}

function toResponse(
  { statusCode, body, headers, cacheSeconds }: HttpResult,
  ifNoneMatch: string | undefined,
  cors: Record<string, string>,
): APIGatewayProxyStructuredResultV2 {
  const raw = typeof body === 'string' && headers?.['content-type'] !== undefined;
  const text = raw ? (body as string) : JSON.stringify(body);
  const base = { 'content-type': 'application/json', ...cors, ...headers };
  if (cacheSeconds === undefined || statusCode !== 200)
    return { statusCode, headers: { ...base, 'cache-control': 'no-store' }, body: text };
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const cache = { etag, 'cache-control': `private, max-age=${cacheSeconds}` };
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
    return { statusCode: 304, headers: { ...cors, ...cache } };
  return { statusCode, headers: { ...base, ...cache }, body: text };
}

/** The request's JSON body, or a ValidationError saying why it cannot be read. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) throw new ValidationError('the request has no body; send JSON');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('the request body is not valid JSON');
  }
}

/**
 * Who asked, for the records a request leaves (an analytics job's `requester`): the JWT's subject (and e-mail when the
 * token has one) when the Cognito authorizer is on, `api-key` when the request carried the local platform's key,
 * else `anonymous`.
 */
export function requesterOf(event: APIGatewayProxyEventV2): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
    ?.jwt?.claims;
  const subject = claims?.email ?? claims?.['cognito:username'] ?? claims?.sub;
  if (typeof subject === 'string' && subject !== '') return `jwt:${subject}`;
  return event.headers?.['x-api-key'] ? 'api-key' : 'anonymous';
}
