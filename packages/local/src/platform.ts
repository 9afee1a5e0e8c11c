import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_EXPECTED_STORES, handlerEnvironment, LOCAL_CREDENTIALS } from './env';
import { gatewayListener } from './gateway';
import { listen, type RunningServer } from './http';
import { LambdaRuntime } from './lambda-runtime';
import { functionLogGroup, LogStore, logsApiListener } from './logs';
import { BUCKET_NAME, IDEMPOTENCY_TABLE, REGION, SALES_TABLE, TOPIC_NAMES, topicArn } from './resources';
import { API_ROUTES } from './routes';
import { matchingMachines, S3_RULES, type S3Rule, Sequencer, toEventBridge } from './s3-events';
import { SCHEDULES, type Schedule, Scheduler } from './scheduler';
import { sfnApiListener } from './sfn-api';
import { type PublishedMessage, SnsTopics, snsApiListener } from './sns';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  machineNames,
  StepFunctions,
  templateVariables,
} from './step-functions';
import { type ObjectCreated, type Storage, startStorage } from './storage';
import { ensureTables } from './tables';

/** The repository root: the folder holding `functions/`, `state-machines/` and `sample-data/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Default ports (shared/DESIGN.md "Local defaults"); 0 picks a free port. */
export const DEFAULT_PORTS = { api: 3000, s3: 4569, dynamodb: 8000, sfn: 8083, sns: 8084, logs: 8085 } as const;

/** A port per server of the platform. */
export type Ports = { -readonly [K in keyof typeof DEFAULT_PORTS]: number };

/** The flag that sets each port, named in the error when the port is taken. */
const PORT_FLAGS: Record<keyof Ports, string> = {
  api: '--api-port',
  s3: '--s3-port',
  dynamodb: '--dynamodb-port',
  sfn: '--sfn-port',
  sns: '--sns-port',
  logs: '--logs-port',
};

/** How to start the platform: only `stateDir` is required (tests also pass ports 0 and fixture folders). */
export interface PlatformOptions {
  /** Where S3 objects, DynamoDB data, executions and messages live. Created if missing. */
  stateDir: string;
  /** Ports by server (default {@link DEFAULT_PORTS}); 0 for any free port, as tests do. */
  ports?: Partial<Ports>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Keeps DynamoDB in memory instead of LevelDB under the state folder (tests). */
  inMemoryDynamoDB?: boolean;
  /** Default `<repo>/functions`. */
  functionsDir?: string;
  /** Default `<repo>/state-machines`. */
  stateMachinesDir?: string;
  /** The HTTP API's routes (default {@link API_ROUTES}). */
  routes?: Readonly<Record<string, string>>;
  /** Which keys start which workflow (default {@link S3_RULES}). */
  s3Rules?: readonly S3Rule[];
  /** Scheduled functions (default {@link SCHEDULES}); those without a handler are skipped. */
  schedules?: readonly Schedule[];
  /** `EXPECTED_STORES` (default 0001–0011). */
  expectedStores?: readonly string[];
  /** `DAILY_ANALYSIS_TIMEZONE`, also the scheduler's time zone (default UTC). */
  timeZone?: string;
  /** INFO logs from the handlers and s3rver's request log. */
  verbose?: boolean;
  /** A folder of static files (the dashboard) served by the API for GETs that match no route. */
  staticDir?: string;
  /** Function timeouts in seconds (default 300). */
  functionTimeoutsSeconds?: Record<string, number>;
  /** Every Retry waits this many milliseconds instead of its backoff (tests). */
  retryIntervalMs?: number;
  /** More variables for the handlers, over the platform's own. */
  env?: Record<string, string>;
  /** Where the platform reports what goes wrong in the background (default: stderr). */
  log?: (line: string) => void;
}

/** The running local platform. */
export interface Platform {
  ports: Ports;
  /** Base URLs: `http://127.0.0.1:<port>`. */
  endpoints: { [K in keyof Ports]: string };
  stateDir: string;
  bucket: string;
  tables: { sales: string; idempotency: string };
  /** The variables the handlers run with (also set on this process). */
  env: Readonly<Record<string, string>>;
  /** Executions started since the platform started, oldest first; filtered by state machine name and status. */
  executions(filter?: { machine?: string; status?: ExecutionStatus }): ExecutionRecord[];
  describeExecution(executionArn: string): ExecutionRecord;
  /** Starts an execution of a state machine (by file name: `upload-processor`), as StartExecution does. */
  startExecution(machine: string, input: unknown, name?: string): { executionArn: string };
  /** Messages published to SNS since start; of one topic when given its name or ARN. */
  messages(topic?: string): PublishedMessage[];
  /** Invokes a function directly, as `aws lambda invoke` would. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /**
   * The CloudWatch Logs of the platform (under `<state>/logs/`), served on the `logs` port: a group per function
   * ({@link functionLogGroup}), written by the Lambda runtime through `put`.
   */
  logStore: LogStore;
  /** The scheduler, whose `tick(minute)` fires the schedules due at a minute. */
  scheduler: Scheduler;
  /**
   * Resolves when nothing is under way: no S3 event being routed, no execution running (including those started by
   * handlers through the Step Functions API), no function invocation. Rejects after `timeoutMs` (default 5 minutes).
   */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** SDK clients configured for the platform (path-style S3 with its credentials and checksum settings). */
  s3Client(): S3Client;
  dynamoClient(): DynamoDBClient;
  documentClient(): DynamoDBDocumentClient;
  sfnClient(): SFNClient;
  snsClient(): SNSClient;
  /**
   * Stops: new requests are refused, running executions get `graceMs` (default 10 s) to finish and are then aborted,
   * and every server closes.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

let active = false;

/**
 * Starts the local platform: S3 and DynamoDB (in a storage process), the Step Functions runner and its API, SNS,
 * the HTTP API and the scheduler, with the handler environment set on this process. One platform per process: the
 * handlers read their configuration from `process.env` when first imported.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  if (active) throw new Error('a local platform is already running in this process (handlers share process.env)');
  active = true;
  const started: { close(): Promise<void> }[] = [];
  try {
    return await start(options, started);
  } catch (error) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    active = false;
    throw error;
  }
}

async function start(options: PlatformOptions, started: { close(): Promise<void> }[]): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const ports: Ports = { ...DEFAULT_PORTS, ...options.ports };
  const stateDir = resolve(options.stateDir);
  const functionsDir = resolve(options.functionsDir ?? join(REPO_ROOT, 'functions'));
  const stateMachinesDir = resolve(options.stateMachinesDir ?? join(REPO_ROOT, 'state-machines'));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(stateDir, { recursive: true });

  const runtime = new LambdaRuntime({
    functionsDir,
    ...(options.functionTimeoutsSeconds ? { timeoutsSeconds: options.functionTimeoutsSeconds } : {}),
  });
  const alertsTopic = topicArn(TOPIC_NAMES.alerts);
  const topics = new SnsTopics({
    topicArns: [alertsTopic, topicArn(TOPIC_NAMES.report)],
    dir: join(stateDir, 'sns'),
    onMessage: (m) => {
      if (m.topicArn === alertsTopic) {
        log(`tillflow: ALERT ${m.subject ?? ''}: ${m.message.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    },
  });

  let sfn: StepFunctions | undefined;
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    resolveReady = r;
  });
  const sequencer = new Sequencer(join(stateDir, 's3-sequencer'));
  const rules = options.s3Rules ?? S3_RULES;
  const routeObject = async (created: ObjectCreated): Promise<void> => {
    await ready;
    if (created.bucket !== BUCKET_NAME || !sfn) return;
    const machines = matchingMachines(created.key, rules);
    if (machines.length === 0) return;
    const event = toEventBridge(created, sequencer.next());
    for (const machine of machines) {
      if (!sfn.machineNames().includes(machine)) {
        log(`tillflow: no state machine "${machine}" for s3://${created.bucket}/${created.key}`);
        continue;
      }
      sfn.start(machine, event);
    }
  };

  // The storage process boots while this one validates the state machines.
  const storagePromise = startStorage(
    {
      host,
      verbose: options.verbose ?? false,
      s3: { port: ports.s3, flag: PORT_FLAGS.s3, dir: join(stateDir, 's3'), bucket: BUCKET_NAME },
      dynamodb: {
        port: ports.dynamodb,
        flag: PORT_FLAGS.dynamodb,
        ...(options.inMemoryDynamoDB ? {} : { path: join(stateDir, 'dynamodb') }),
      },
    },
    routeObject,
  );

  let dynamo: DynamoDBClient | undefined;
  const clients: { destroy(): void }[] = [];
  const endpoints = {} as Platform['endpoints'];
  const dynamoClient = (): DynamoDBClient => {
    dynamo ??= track(
      new DynamoDBClient({ region: REGION, endpoint: endpoints.dynamodb, credentials: LOCAL_CREDENTIALS }),
    );
    return dynamo;
  };
  function track<T extends { destroy(): void }>(client: T): T {
    clients.push(client);
    return client;
  }

  const functionNames = runtime.names();
  const logStore = new LogStore(join(stateDir, 'logs'));
  for (const fn of functionNames) logStore.createLogGroup(functionLogGroup(fn));
  const sfnPromise = StepFunctions.create({
    machinesDir: stateMachinesDir,
    runtime,
    templateVars: templateVariables({
      functionNames,
      machineNames: machineNames(stateMachinesDir),
      alertsTopicArn: alertsTopic,
      reportTopicArn: topicArn(TOPIC_NAMES.report),
      bucketName: BUCKET_NAME,
      salesTable: SALES_TABLE,
      idempotencyTable: IDEMPOTENCY_TABLE,
    }),
    publish: (arn, message, subject) => topics.publish(arn, message, subject),
    stateDir,
    validationCacheFile: join(REPO_ROOT, 'node_modules', '.cache', 'tillflow-local', 'asl-validated.json'),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    onExecutionEnd: (record) => {
      if (record.status !== 'SUCCEEDED' && record.status !== 'ABORTED') {
        log(`tillflow: execution ${record.machine}/${record.name} ${record.status}: ${record.error ?? ''}`);
      }
    },
  });
  // Surfaces a failed load once, through the await below, and never as an unhandled rejection meanwhile.
  sfnPromise.catch(() => undefined);

  // Requests that arrive while the platform is still starting wait for it; a listener's failure is a 500.
  const whenReady =
    (listener: RequestListener): RequestListener =>
    (req, res) => {
      void ready
        .then(() => listener(req, res))
        .catch((error: Error) => {
          log(`tillflow: ${req.method} ${req.url} failed: ${error.message}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal Server Error' } }));
        });
    };
  const serve = async (listener: RequestListener, key: keyof Ports): Promise<RunningServer> => {
    const server = await listen(whenReady(listener), ports[key], host, PORT_FLAGS[key]);
    started.push(server);
    return server;
  };
  let sfnListener: RequestListener | undefined;
  const settled = await Promise.allSettled([
    storagePromise,
    serve(
      gatewayListener({
        routes: options.routes ?? API_ROUTES,
        runtime,
        ...(options.staticDir ? { staticDir: options.staticDir } : {}),
        onFunctionError: (fn, error) =>
          log(`tillflow: ${fn} failed on an API request: ${error.name}: ${error.message}`),
      }),
      'api',
    ),
    serve((req, res) => {
      sfnListener ??= sfnApiListener(sfn as StepFunctions);
      return sfnListener(req, res);
    }, 'sfn'),
    serve(snsApiListener(topics), 'sns'),
    serve(logsApiListener(logStore), 'logs'),
  ]);
  const [storageResult, apiResult, sfnResult, snsResult, logsResult] = settled;
  if (storageResult.status === 'fulfilled') started.push({ close: () => storageResult.value.stop() });
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  const storage = (storageResult as PromiseFulfilledResult<Storage>).value;
  const api = (apiResult as PromiseFulfilledResult<RunningServer>).value;
  const sfnServer = (sfnResult as PromiseFulfilledResult<RunningServer>).value;
  const snsServer = (snsResult as PromiseFulfilledResult<RunningServer>).value;
  const logsServer = (logsResult as PromiseFulfilledResult<RunningServer>).value;
  sfn = await sfnPromise;

  const actualPorts: Ports = {
    api: api.port,
    s3: storage.s3Port,
    dynamodb: storage.dynamodbPort,
    sfn: sfnServer.port,
    sns: snsServer.port,
    logs: logsServer.port,
  };
  for (const key of Object.keys(actualPorts) as (keyof Ports)[]) endpoints[key] = `http://${host}:${actualPorts[key]}`;

  const env = {
    ...handlerEnvironment({
      endpoints,
      expectedStores: options.expectedStores ?? DEFAULT_EXPECTED_STORES,
      timeZone: options.timeZone ?? 'UTC',
      verbose: options.verbose ?? false,
    }),
    ...options.env,
  };
  // Before any handler is imported: they read their configuration at cold start.
  Object.assign(process.env, env);

  await ensureTables(dynamoClient());

  const scheduler = new Scheduler({
    schedules: (options.schedules ?? SCHEDULES).filter((s) => runtime.has(s.functionName)),
    timeZone: env.DAILY_ANALYSIS_TIMEZONE as string,
    invoke: (fn, event) => runtime.invoke(fn, event),
    onError: (fn, error) => log(`tillflow: scheduled ${fn} failed: ${error.name}: ${error.message}`),
  });
  scheduler.start();
  resolveReady();
  const stepFunctions = sfn;

  const waitForIdle = async ({ timeoutMs = 300_000 }: { timeoutMs?: number } = {}): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const busy = (): boolean => storage.pendingEvents > 0 || stepFunctions.running > 0 || runtime.inflight > 0;
    for (;;) {
      if (!busy()) {
        // A moment of quiet: a client may be between a response and its next request.
        await sleep(20);
        if (!busy()) return;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `the platform is still busy after ${timeoutMs} ms: ${stepFunctions.running} executions running, ` +
            `${runtime.inflight} invocations, ${storage.pendingEvents} S3 events`,
        );
      }
      await Promise.race([
        storage.nextSettled(),
        stepFunctions.nextSettled(),
        runtime.nextSettled(),
        sleep(Math.min(left, 1000)),
      ]);
    }
  };

  let stopped = false;
  return {
    ports: actualPorts,
    endpoints,
    stateDir,
    bucket: BUCKET_NAME,
    tables: { sales: SALES_TABLE, idempotency: IDEMPOTENCY_TABLE },
    env,
    executions: (filter = {}) =>
      stepFunctions
        .executions()
        .filter(
          (r) => (!filter.machine || r.machine === filter.machine) && (!filter.status || r.status === filter.status),
        ),
    describeExecution: (arn) => stepFunctions.describeExecution(arn),
    startExecution: (machine, input, name) => stepFunctions.start(machine, input, name),
    messages: (topic) => topics.messages(topic),
    logStore,
    invoke: (fn, event) => runtime.invoke(fn, event),
    scheduler,
    waitForIdle,
    s3Client: () =>
      track(
        new S3Client({
          region: REGION,
          endpoint: endpoints.s3,
          credentials: LOCAL_CREDENTIALS,
          forcePathStyle: true,
          // s3rver stores the aws-chunked framing of streamed uploads inside the object when checksums are sent.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
      ),
    dynamoClient,
    documentClient: () =>
      DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } }),
    sfnClient: () => track(new SFNClient({ region: REGION, endpoint: endpoints.sfn, credentials: LOCAL_CREDENTIALS })),
    snsClient: () => track(new SNSClient({ region: REGION, endpoint: endpoints.sns, credentials: LOCAL_CREDENTIALS })),
    async stop({ graceMs = 10_000 } = {}) {
      if (stopped) return;
      stopped = true;
      try {
        scheduler.stop();
        await api.close();
        await waitForIdle({ timeoutMs: graceMs }).catch(() => stepFunctions.abortAll());
        await Promise.all([sfnServer.close(), snsServer.close(), logsServer.close()]);
        await storage.stop();
        for (const client of clients) client.destroy();
      } finally {
        active = false;
      }
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
