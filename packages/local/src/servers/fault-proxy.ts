import { randomUUID } from 'node:crypto';
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { listen, type RunningServer, readBody, send } from './http';

/** The services whose requests a {@link FaultInjector} can fail. */
export type FaultService = 's3' | 'dynamodb';

/** One request as the injector sees it, to match rules against and to record. */
export interface FaultRequest {
  service: FaultService;
  /** The API operation: `PutObject`, `GetObject`, `HeadObject`, `DeleteObject`, `ListObjectsV2` …; `PutItem` … */
  operation: string;
  /** S3: the object key (no bucket). DynamoDB: the item's partition key (`PK`, else the key's first string). */
  key?: string;
  /** DynamoDB: the request's `TableName` (none for batch and transaction operations). */
  table?: string;
}

/**
 * What a matching request gets:
 * - `error`: an AWS error answer, as the service sends it (`throttle('s3')` is 503 SlowDown);
 * - `reset`: the connection is closed without an answer (a network fault);
 * - `kill`: the function whose call this is dies mid-request (its execution environments that are running an
 *   invocation are terminated, as a crashed or OOM-killed Lambda's; run with `concurrency: 1` to kill only the
 *   caller), the request itself having reached the server (`when: 'after'`) or not.
 */
export type FaultAction =
  | { kind: 'error'; status: number; code: string; message: string }
  | { kind: 'reset' }
  | { kind: 'kill'; functionName: string };

/** A rule: which requests fail, how, and how many times. */
export interface FaultRule {
  service: FaultService;
  /** The operation to match (any when absent). */
  operation?: string;
  /** Only keys starting with this (S3: object keys; DynamoDB: partition keys, `DAY#`). */
  keyPrefix?: string;
  /** DynamoDB: only requests to this table. */
  table?: string;
  /** The first matching request to fail, 1-based (default 1): `nth: 2` lets one through first. */
  nth?: number;
  /** How many matching requests fail from the nth on (default 1; `Infinity`: every one). */
  times?: number;
  /**
   * `before` (default): the request never reaches the server. `after`: it does (the write lands), then the client
   * gets the fault instead of the answer, the case that tests a step's idempotency.
   */
  when?: 'before' | 'after';
  action: FaultAction;
}

/** A fault that fired: the request, the rule's action and when. */
export interface InjectedFault extends FaultRequest {
  action: FaultAction['kind'];
  code?: string;
  when: 'before' | 'after';
}

/** Where the injector forwards, and how it kills a function (the platform's Lambda runtime). */
export interface FaultTargets {
  s3: string;
  dynamodb: string;
  host: string;
  /** Ends the busy execution environments of a function mid-invocation; returns how many. */
  kill(functionName: string): number;
}

/** S3's answer to a request rate it will not take: 503 SlowDown. */
export function throttle(service: FaultService): FaultAction {
  return service === 's3'
    ? { kind: 'error', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }
    : {
        kind: 'error',
        status: 400,
        code: 'ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      };
}

/** The service's 500 answer: InternalError (S3) or InternalServerError (DynamoDB). */
export function serverError(service: FaultService): FaultAction {
  return service === 's3'
    ? { kind: 'error', status: 500, code: 'InternalError', message: 'We encountered an internal error.' }
    : { kind: 'error', status: 500, code: 'InternalServerError', message: 'Internal server error' };
}

/** A request as large as the largest store file (64 MB) plus room for the aws-chunked framing. */
const BODY_LIMIT_BYTES = 80 * 1024 * 1024;

interface ArmedRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

/**
 * Fault injection for the local platform: an HTTP proxy between the functions' SDK clients and the local S3 and
 * DynamoDB servers (the platform gives the functions the proxy's endpoints, `AWS_ENDPOINT_URL_S3` and
 * `AWS_ENDPOINT_URL_DYNAMODB`, when started with `faults`), answering requests that match a rule with a throttle, a
 * 5xx, a reset connection or the death of the calling function, and forwarding the rest unchanged (the signature
 * stays valid: the Host header is kept). A proxy rather than SDK middleware because the functions run from their
 * bundles, as in Lambda: nothing in them knows of the faults. Rules can be added while the platform runs; every
 * fault that fired is in {@link injected}.
 *
 * @example
 * ```ts
 * const faults = new FaultInjector();
 * const platform = await startTestPlatform({ faults });
 * faults.add({ service: 's3', operation: 'PutObject', keyPrefix: 'processed/', action: throttle('s3') });
 * ```
 */
export class FaultInjector {
  private readonly rules: ArmedRule[] = [];
  private readonly fired: InjectedFault[] = [];
  private readonly requests: FaultRequest[] = [];
  private servers: RunningServer[] = [];

  /** Adds a rule; it counts matching requests from now on. */
  add(rule: FaultRule): this {
    this.rules.push({ rule, seen: 0, fired: 0 });
    return this;
  }

  /** Removes every rule (the faults that fired stay recorded). */
  clear(): void {
    this.rules.length = 0;
  }

  /** Every fault that fired, oldest first. */
  get injected(): readonly InjectedFault[] {
    return this.fired;
  }

  /** Every request that went through the proxy, failed or not, oldest first. */
  get seen(): readonly FaultRequest[] {
    return this.requests;
  }

  /** Starts the two proxies (free ports on `targets.host`); returns their endpoints. */
  async listen(targets: FaultTargets): Promise<{ s3: string; dynamodb: string }> {
    const start = async (service: FaultService): Promise<string> => {
      const server = await listen(
        (req, res) => void this.handle(service, targets, req, res),
        0,
        targets.host,
        `(fault proxy for ${service})`,
      );
      this.servers.push(server);
      return `http://${targets.host}:${server.port}`;
    };
    return { s3: await start('s3'), dynamodb: await start('dynamodb') };
  }

  /** Stops the proxies. */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(servers.map((s) => s.close()));
  }

  private async handle(
    service: FaultService,
    targets: FaultTargets,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      const body = await readBody(req, BODY_LIMIT_BYTES);
      const described = describe(service, req, body);
      this.requests.push(described);
      const armed = this.match(described);
      const when = armed?.rule.when ?? 'before';
      if (armed && when === 'before') {
        this.inject(armed.rule.action, described, when, targets, res);
        return;
      }
      const upstream = await forward(service === 's3' ? targets.s3 : targets.dynamodb, req, body);
      if (armed) {
        this.inject(armed.rule.action, described, when, targets, res);
        return;
      }
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    } catch (error) {
      if (!res.headersSent)
        send(res, 502, { 'content-type': 'text/plain' }, `fault proxy: ${(error as Error).message}`);
      else res.destroy();
    }
  }

  private match(request: FaultRequest): ArmedRule | undefined {
    let chosen: ArmedRule | undefined;
    for (const armed of this.rules) {
      const { rule } = armed;
      if (rule.service !== request.service) continue;
      if (rule.operation && rule.operation !== request.operation) continue;
      if (rule.keyPrefix !== undefined && !request.key?.startsWith(rule.keyPrefix)) continue;
      if (rule.table !== undefined && rule.table !== request.table) continue;
      armed.seen++;
      const first = rule.nth ?? 1;
      if (!chosen && armed.seen >= first && armed.fired < (rule.times ?? 1)) {
        armed.fired++;
        chosen = armed;
      }
    }
    return chosen;
  }

  private inject(
    action: FaultAction,
    request: FaultRequest,
    when: 'before' | 'after',
    targets: FaultTargets,
    res: ServerResponse,
  ): void {
    this.fired.push({
      ...request,
      action: action.kind,
      when,
      ...(action.kind === 'error' ? { code: action.code } : {}),
    });
    if (action.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (action.kind === 'kill') {
      targets.kill(action.functionName);
      res.socket?.destroy();
      return;
    }
    const requestId = randomUUID();
    if (request.service === 's3') {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>' +
        `<Error><Code>${action.code}</Code><Message>${action.message}</Message><RequestId>${requestId}</RequestId></Error>`;
      send(res, action.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, xml);
    } else {
      const json = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${action.code}`,
        message: action.message,
      });
      send(res, action.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId }, json);
    }
  }
}

/** The operation, key and table of a request, from its method, path, query and (DynamoDB) target header and body. */
function describe(service: FaultService, req: IncomingMessage, body: Buffer): FaultRequest {
  const url = new URL(req.url ?? '/', 'http://proxy');
  if (service === 'dynamodb') {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    let table: string | undefined;
    let key: string | undefined;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as {
        TableName?: unknown;
        Key?: Record<string, { S?: string }>;
        Item?: Record<string, { S?: string }>;
      };
      if (typeof parsed.TableName === 'string') table = parsed.TableName;
      const attributes = parsed.Key ?? parsed.Item;
      key = attributes?.PK?.S ?? Object.values(attributes ?? {}).find((v) => typeof v?.S === 'string')?.S;
    } catch {
      // Not JSON: matched by operation only.
    }
    return { service, operation, ...(table ? { table } : {}), ...(key ? { key } : {}) };
  }
  const [, , ...rest] = url.pathname.split('/');
  const key = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  const method = req.method ?? 'GET';
  const operation = !key
    ? method === 'GET'
      ? 'ListObjectsV2'
      : `${method}Bucket`
    : method === 'PUT'
      ? url.searchParams.has('partNumber')
        ? 'UploadPart'
        : req.headers['x-amz-copy-source']
          ? 'CopyObject'
          : 'PutObject'
      : method === 'GET'
        ? 'GetObject'
        : method === 'HEAD'
          ? 'HeadObject'
          : method === 'DELETE'
            ? 'DeleteObject'
            : `${method}Object`;
  return { service, operation, ...(key ? { key } : {}) };
}

/** Sends the request on unchanged (headers, Host included, so that its signature still verifies) and reads the answer. */
function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const upstream = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: { ...withoutHopByHop(req.headers), 'content-length': String(body.length) },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && name !== 'transfer-encoding' && name !== 'connection') headers[name] = value;
          }
          const payload = Buffer.concat(chunks);
          headers['content-length'] = String(payload.length);
          resolve({ status: answer.statusCode ?? 502, headers, body: payload });
        });
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

/** The request's headers less those of one connection (none of them is signed by SigV4). */
function withoutHopByHop(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { connection, 'transfer-encoding': _te, expect, 'keep-alive': _ka, ...rest } = headers;
  void connection;
  void expect;
  return rest;
}
