import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ACCOUNT_ID } from '../resources';
import type { LambdaRuntime } from '../runtime/lambda-runtime';
import { BodyTooLargeError, readBody, send } from './http';
import type { LocalRoute } from './local-routes';

/** API Gateway refuses request bodies above 10 MB. */
const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** What a preflight of an allowed origin is told, as API Gateway's `cors_configuration` (infrastructure/api.tf). */
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-max-age': '3600',
};

/** Routes open without the API key, as they are without a JWT in AWS (`authorization_type` in api.tf). */
const OPEN_ROUTES = new Set(['GET /health']);

/**
 * `Access-Control-Allow-Origin` for a request's `Origin`: the origin itself when it is allowed, `*` when every origin
 * is (`*` in the list), nothing otherwise, as API Gateway answers for its `allow_origins`.
 */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  if (allowed.includes('*')) return { 'access-control-allow-origin': '*' };
  if (origin && allowed.includes(origin)) return { 'access-control-allow-origin': origin, vary: 'origin' };
  return {};
}

/** Compares an API key without leaking its length or content through timing (both sides hashed first). */
function sameKey(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A route of the table, ready to match. */
export interface CompiledRoute {
  routeKey: string;
  method: string;
  segments: string[];
  functionName: string;
}

/** The route chosen for a request, with its decoded path parameters. */
export interface RouteMatch {
  route: CompiledRoute;
  pathParameters: Record<string, string>;
}

/** Reads a route table (`'POST /uploads': 'generate-upload-url'`); throws on a malformed route key. */
export function compileRoutes(routes: Readonly<Record<string, string>>): CompiledRoute[] {
  return Object.entries(routes).map(([routeKey, functionName]) => {
    const m = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(routeKey);
    if (!m) throw new Error(`route "${routeKey}": expected "<METHOD> /path"`);
    return { routeKey, method: m[1] as string, segments: (m[2] as string).split('/').filter(Boolean), functionName };
  });
}

/**
 * The route API Gateway would choose: the method must match (or be ANY); among matching paths, the most specific
 * wins (literal segments before `{param}`, `{param}` before a greedy `{param+}`).
 */
export function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  const parts = path.split('/').filter(Boolean);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const pathParameters: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < route.segments.length && ok; i++) {
      const segment = route.segments[i] as string;
      const greedy = /^\{(.+)\+\}$/.exec(segment);
      const param = /^\{(.+)\}$/.exec(segment);
      if (greedy && i === route.segments.length - 1) {
        if (parts.length <= i) ok = false;
        else pathParameters[greedy[1] as string] = parts.slice(i).map(decode).join('/');
        score.push(0);
        break;
      }
      const part = parts[i];
      if (part === undefined) ok = false;
      else if (param) {
        pathParameters[param[1] as string] = decode(part);
        score.push(1);
      } else if (segment === decode(part)) score.push(2);
      else ok = false;
    }
    const greedyLast = /^\{.+\+\}$/.test(route.segments.at(-1) ?? '');
    if (!ok || (!greedyLast && parts.length !== route.segments.length)) continue;
    score.push(route.method === method ? 1 : 0);
    if (!best || compareScores(score, best.score) > 0) best = { match: { route, pathParameters }, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Content types API Gateway passes as text; any other body arrives base64-encoded. */
function isTextual(contentType: string): boolean {
  return /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i.test(contentType);
}

/** An API Gateway HTTP API (payload format 2.0) event for a request. */
function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  match: RouteMatch,
  requestId: string,
  now = new Date(),
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rawPath = (req.url ?? '/').split('?')[0] as string;
  const rawQueryString = url.search.slice(1);
  const headers: Record<string, string> = {};
  const rawCookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    // API Gateway moves cookies to `cookies` and joins repeated headers with commas.
    if (name === 'cookie')
      rawCookies.push(
        ...String(value)
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const contentType = headers['content-type'] ?? '';
  const textual = body.length === 0 || isTextual(contentType);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath,
    rawQueryString,
    ...(rawCookies.length > 0 ? { cookies: rawCookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] as string,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match.route.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

/** `12/Mar/2020:19:03:58 +0000`, the request time format of API Gateway. */
function clfTime(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** What the client receives for a handler's result, by the payload 2.0 rules of API Gateway. */
export function toHttpResponse(result: unknown): {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
} {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    const body = Buffer.from(r.body ?? '', r.isBase64Encoded ? 'base64' : 'utf8');
    return { status: r.statusCode, headers, body };
  }
  // A result without statusCode is a 200 JSON answer of the result itself.
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) };
}

/** What the HTTP API serves. */
export interface GatewayOptions {
  routes: Readonly<Record<string, string>>;
  runtime: LambdaRuntime;
  /** Serves the files of this folder (the dashboard's build) for GET requests that match no route. */
  staticDir?: string;
  /** Told of each request that failed inside the function (never the event). */
  onFunctionError?: (functionName: string, error: Error) => void;
  /** Browser origins answered with CORS headers (`*` for any); none when empty, as Terraform's `cors_origins`. */
  corsOrigins?: readonly string[];
  /**
   * When set, every route but `GET /health` needs this key in the `x-api-key` header (the local stand-in for the
   * JWT authorizer, `TILLFLOW_API_KEY`); a request without it is a 401. Static files (the dashboard) stay open.
   */
  apiKey?: string;
  /**
   * Routes the gateway answers itself, as JSON (`'GET /local/mail'`, see `localRoutes`): the local platform's own,
   * never a function's, behind the same API key as the function routes.
   */
  localRoutes?: Readonly<Record<string, LocalRoute>>;
}

/**
 * The HTTP API: turns requests into API Gateway payload 2.0 events for the route's function and its result into the
 * response; answers CORS preflights for any path, as an HTTP API with CORS configured does.
 */
export function gatewayListener(options: GatewayOptions): RequestListener {
  const routes = compileRoutes(options.routes);
  const origins = options.corsOrigins ?? [];
  return async (req, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] as string;
    const cors = corsHeaders(origins, req.headers.origin);
    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      const allowed = Object.keys(cors).length > 0;
      res.writeHead(204, {
        ...cors,
        ...(allowed ? PREFLIGHT_HEADERS : {}),
        ...(allowed
          ? { 'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'content-type') }
          : {}),
      });
      res.end();
      return;
    }
    const local = options.localRoutes?.[`${method} ${path}`];
    if (local) {
      if (!authorized(options.apiKey, req, res, cors)) return;
      try {
        sendJson(res, 200, await local(), cors);
      } catch (error) {
        options.onFunctionError?.(`${method} ${path}`, error as Error);
        sendJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: (error as Error).message } }, cors);
      }
      return;
    }
    const match = matchRoute(routes, method, path);
    if (!match) {
      if (
        options.staticDir &&
        (method === 'GET' || method === 'HEAD') &&
        serveStatic(options.staticDir, path, req, res)
      )
        return;
      sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${method} ${path}` } }, cors);
      return;
    }
    if (!OPEN_ROUTES.has(match.route.routeKey) && !authorized(options.apiKey, req, res, cors)) return;
    let body: Buffer;
    try {
      body = await readBody(req, BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: error.message } }, cors);
        return;
      }
      throw error;
    }
    const requestId = randomUUID();
    try {
      const result = await options.runtime.invoke(
        match.route.functionName,
        toApiGatewayEvent(req, body, match, requestId),
      );
      const response = toHttpResponse(result);
      // API Gateway's CORS configuration answers over the function's own headers.
      const headers = { ...withoutCors(response.headers), ...cors, 'apigw-requestid': requestId };
      send(res, response.status, headers, response.body);
    } catch (error) {
      options.onFunctionError?.(match.route.functionName, error as Error);
      sendJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'Internal Server Error' } }, cors, requestId);
    }
  };
}

/** Whether the request carries the API key (always, when there is none); answers the 401 itself when not. */
function authorized(
  apiKey: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
): boolean {
  if (!apiKey) return true;
  const given = req.headers['x-api-key'];
  if (typeof given === 'string' && sameKey(given, apiKey)) return true;
  const message = given === undefined ? 'this API needs the x-api-key header' : 'the API key is not valid';
  sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message } }, cors);
  return false;
}

function withoutCors(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('access-control-')));
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  cors: Record<string, string>,
  requestId = randomUUID(),
): void {
  send(
    res,
    status,
    { ...cors, 'content-type': 'application/json', 'apigw-requestid': requestId },
    JSON.stringify(body),
  );
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a file of `root`; a browser navigating to a path without an extension that names no file gets
 * `index.html` (a single-page app's routes). False when there is nothing to serve. Paths cannot leave `root`.
 */
function serveStatic(root: string, urlPath: string, req: IncomingMessage, res: ServerResponse): boolean {
  const base = resolve(root);
  let file = resolve(base, `.${decode(urlPath)}`);
  if (file !== base && !file.startsWith(base + sep)) return false;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    // Only a browser's navigation (Accept: text/html) gets the app; an API client's unknown path stays a 404.
    if (extname(urlPath) !== '' || !String(req.headers.accept ?? '').includes('text/html')) return false;
    file = join(base, 'index.html');
    if (!existsSync(file)) return false;
  }
  const content = readFileSync(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(content.length),
  });
  res.end(req.method === 'HEAD' ? undefined : content);
  return true;
}
