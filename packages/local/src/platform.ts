import type { RequestListener } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_EXPECTED_STORES, knownValues, LOCAL_CREDENTIALS, localAdditions, localReportEmail } from './env';
import { checkPortsFree } from './lifecycle/ports';
import { lockStateDir } from './lifecycle/state-lock';
import { BUCKET_NAME, IDEMPOTENCY_TABLE, REGION, SALES_TABLE, TOPIC_NAMES, topicArn } from './resources';
import { type Reconciled, reconcile } from './routing/reconcile';
import { matchingMachines, S3_RULES, type S3Rule, Sequencer, toEventBridge } from './routing/s3-events';
import { defaultSchedules, type Schedule, Scheduler } from './routing/scheduler';
import type { LogSink } from './runtime/environment';
import { resolveFunctions } from './runtime/functions';
import { LambdaRuntime } from './runtime/lambda-runtime';
import { readTerraform, type TerraformSettings } from './runtime/terraform';
import type { FaultInjector } from './servers/fault-proxy';
import { gatewayListener } from './servers/gateway';
import { listen, type RunningServer } from './servers/http';
import { localRoutes } from './servers/local-routes';
import { functionLogGroup, LogStore, logsApiListener } from './servers/logs';
import { API_ROUTES } from './servers/routes';
import { type SentEmail, SesMailbox, sesApiListener } from './servers/ses';
import { sfnApiListener } from './servers/sfn-api';
import { type PublishedMessage, SnsTopics, snsApiListener } from './servers/sns';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  machineNames,
  StepFunctions,
  templateVariables,
} from './servers/step-functions';
import { type ObjectCreated, type Storage, startStorage } from './servers/storage';
import { ensureTables } from './servers/tables';

/** The repository root: the folder holding `functions/`, `state-machines/` and `sample-data/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The dashboard's build (`packages/dashboard`, `vite build`), which `npm start` has the API serve at `/`. */
export const DASHBOARD_DIR = join(REPO_ROOT, 'packages', 'dashboard', 'dist');

/** Where the platform caches what is slow to compute and the same for the same files (parsed HCL, validated ASL). */
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'tillflow-local');

/** Default ports (docs/architecture.md "The local platform"); 0 picks a free port. */
export const DEFAULT_PORTS = {
  api: 3000,
  s3: 4569,
  dynamodb: 8000,
  sfn: 8083,
  sns: 8084,
  logs: 8085,
  ses: 8086,
} as const;

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
  ses: '--ses-port',
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
  /** The Terraform module whose function map and defaults the platform follows (default `<repo>/infrastructure`). */
  infrastructureDir?: string;
  /** Runs each function's `src/handler.ts` through tsx instead of its bundle (quick iteration only). */
  fromSource?: boolean;
  /** Execution environments per function at most (default: the cores less one, at least one). */
  concurrency?: number;
  /** The HTTP API's routes (default {@link API_ROUTES}). */
  routes?: Readonly<Record<string, string>>;
  /** Which keys start which workflow (default {@link S3_RULES}). */
  s3Rules?: readonly S3Rule[];
  /** Scheduled functions (default: Terraform's, see `defaultSchedules`); those without a function are skipped. */
  schedules?: readonly Schedule[];
  /** `EXPECTED_STORES` (default 0001–0011). */
  expectedStores?: readonly string[];
  /**
   * Where the report email goes and who sends it (`REPORT_EMAIL_RECIPIENTS`, `REPORT_EMAIL_SENDER`; the sender is the
   * local SES's one verified identity). Default: Terraform's defaults when they set recipients, else
   * `LOCAL_REPORT_EMAIL` (addresses at example.com).
   */
  reportEmail?: { recipients?: readonly string[]; sender?: string };
  /** `DAILY_ANALYSIS_TIMEZONE`, also the scheduler's time zone (default: Terraform's default). */
  timeZone?: string;
  /** INFO logs from the handlers, printed as well as kept in their log groups, and s3rver's request log. */
  verbose?: boolean;
  /** A folder of static files (the dashboard) served by the API for GETs that match no route. */
  staticDir?: string;
  /** The API key every route but `GET /health` then needs in `x-api-key` (`TILLFLOW_API_KEY`); none by default. */
  apiKey?: string;
  /** Browser origins the API answers with CORS headers (default: Terraform's `cors_origins` default, none). */
  corsOrigins?: readonly string[];
  /** Function timeouts in seconds, over Terraform's (tests). */
  functionTimeoutsSeconds?: Record<string, number>;
  /** Function memory sizes in MB, over Terraform's (tests). */
  functionMemoryMb?: Record<string, number>;
  /** Every Retry waits this many milliseconds instead of its backoff (tests). */
  retryIntervalMs?: number;
  /** More variables for every function, over the platform's own. */
  env?: Record<string, string>;
  /** Where the functions' output lines go as well as to the platform's log groups (tests collect them). */
  logs?: LogSink;
  /** Where the platform reports what goes wrong in the background (default: stderr). */
  log?: (line: string) => void;
  /** Called for each email the local SES accepts (the CLI prints a line). */
  onEmail?: (email: SentEmail) => void;
  /** Called when an execution ends, whatever its status (the CLI prints a line per upload and per day). */
  onExecutionEnd?: (record: ExecutionRecord) => void;
  /**
   * Puts this fault injector's proxy between the functions and S3 and DynamoDB (tests, see
   * `servers/fault-proxy.ts`): the functions get its endpoints; the platform's own clients and the test's still reach
   * the servers directly.
   */
  faults?: FaultInjector;
}

/** The running local platform. */
export interface Platform {
  ports: Ports;
  /** Base URLs: `http://127.0.0.1:<port>`. */
  endpoints: { [K in keyof Ports]: string };
  stateDir: string;
  bucket: string;
  tables: { sales: string; idempotency: string };
  /** The variables the platform's values give the functions (each function gets those Terraform gives it). */
  env: Readonly<Record<string, string>>;
  /** What the start's reconciliation found and started again. */
  reconciled: Reconciled;
  /** Executions started since the platform started, oldest first; filtered by state machine name and status. */
  executions(filter?: { machine?: string; status?: ExecutionStatus }): ExecutionRecord[];
  describeExecution(executionArn: string): ExecutionRecord;
  /** Starts an execution of a state machine (by file name: `upload-processor`), as StartExecution does. */
  startExecution(machine: string, input: unknown, name?: string): { executionArn: string };
  /** Messages published to SNS since start; of one topic when given its name or ARN. */
  messages(topic?: string): PublishedMessage[];
  /** Emails the local SES accepted since start, oldest first (each also an `.eml` file under `<state>/ses/`). */
  emails(): SentEmail[];
  /** Invokes a function directly, as `aws lambda invoke` would. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** The Lambda runtime: the functions' settings and execution environments. */
  runtime: LambdaRuntime;
  /**
   * The CloudWatch Logs of the platform (under `<state>/logs/`), served on the `logs` port: a group per function
   * ({@link functionLogGroup}), written by the Lambda runtime.
   */
  logStore: LogStore;
  /** The scheduler, whose `tick(minute)` fires the schedules due at a minute. */
  scheduler: Scheduler;
  /**
   * Resolves when nothing is under way: no S3 event being routed, no execution running (including those started by
   * handlers through the Step Functions API), no function invocation. Rejects after `timeoutMs` (default 5 minutes).
   */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** SDK clients configured for the platform (its credentials; path-style S3 with the SDK's default checksums). */
  s3Client(): S3Client;
  dynamoClient(): DynamoDBClient;
  documentClient(): DynamoDBDocumentClient;
  sfnClient(): SFNClient;
  snsClient(): SNSClient;
  sesClient(): SESv2Client;
  /**
   * Stops in order (see {@link drainAndStop}): nothing new is taken, running work gets `graceMs` (default 30 s) to
   * finish, then what still runs is aborted (reconciled at the next start), the servers stop, storage last.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** The parts of a running platform, as the start phases build them and the stop takes them down. */
interface Parts {
  host: string;
  stateDir: string;
  log: (line: string) => void;
  release: () => void;
  logStore: LogStore;
  storage?: Storage;
  servers: Partial<Record<keyof Ports, RunningServer>>;
  runtime?: LambdaRuntime;
  /** The API's CORS origins, settled with the functions' variables (`CORS_ALLOWED_ORIGINS`). */
  corsOrigins?: readonly string[];
  sfn?: StepFunctions;
  mailbox?: SesMailbox;
  scheduler?: Scheduler;
  clients: { destroy(): void }[];
  /** The fault injector whose proxies the functions go through, if any (closed at the stop). */
  faults?: FaultInjector;
  /** False once the stop began: S3 events are no longer routed (the next start reconciles them). */
  routing: boolean;
}

/**
 * Starts the local platform, phase by phase: ports checked and the state folder taken ({@link claimStateDir}), the
 * servers started ({@link startServers}), the functions' environments and the workflows loaded
 * ({@link loadFunctions}), the tables created and what an interruption left reconciled ({@link recover}), then the
 * schedules. A failure in any phase stops what the earlier ones started.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const parts = await claimStateDir(options);
  try {
    const terraform = readTerraform(options.infrastructureDir ?? join(REPO_ROOT, 'infrastructure'), CACHE_DIR);
    terraform.catch(() => undefined);
    const router = new EventRouter(parts, options.s3Rules ?? S3_RULES);
    const topics = snsTopics(parts, options.log);
    await startServers(parts, options, router, topics);
    const env = await loadFunctions(parts, options, await terraform, topics);
    const reconciled = await recover(parts, router);
    router.open();
    startSchedules(parts, options, await terraform, env);
    return running(parts, options, env, topics, reconciled);
  } catch (error) {
    await drainAndStop(parts, 0).catch(() => undefined);
    throw error;
  }
}

/** Phase 1: every fixed port is free, then the state folder is created and locked for this process. */
async function claimStateDir(options: PlatformOptions): Promise<Parts> {
  const host = options.host ?? '127.0.0.1';
  await checkPortsFree({ ...DEFAULT_PORTS, ...options.ports }, PORT_FLAGS, host);
  const stateDir = resolve(options.stateDir);
  const lock = lockStateDir(stateDir);
  return {
    host,
    stateDir,
    log: options.log ?? ((line: string) => process.stderr.write(`${line}\n`)),
    release: () => lock.release(),
    logStore: new LogStore(join(stateDir, 'logs')),
    servers: {},
    clients: [],
    routing: false,
  };
}

/**
 * Routes S3 object-created events to the workflows, as EventBridge rules do. Events that arrive before the platform
 * is ready wait for it; events after the stop began are not routed: their objects are under `uploads/` without a
 * successful execution, which the next start's reconciliation processes.
 */
class EventRouter {
  private readonly sequencer: Sequencer;
  private opened!: () => void;
  private readonly ready = new Promise<void>((r) => {
    this.opened = r;
  });

  constructor(
    private readonly parts: Parts,
    private readonly rules: readonly S3Rule[],
  ) {
    this.sequencer = new Sequencer(join(parts.stateDir, 's3-sequencer'));
  }

  open(): void {
    this.parts.routing = true;
    this.opened();
  }

  nextSequencer(): string {
    return this.sequencer.next();
  }

  async route(created: ObjectCreated): Promise<void> {
    await this.ready;
    const { sfn, log } = this.parts;
    if (!this.parts.routing || created.bucket !== BUCKET_NAME || !sfn) return;
    const machines = matchingMachines(created.key, this.rules);
    if (machines.length === 0) return;
    const event = toEventBridge(created, this.sequencer.next());
    for (const machine of machines) {
      if (!sfn.machineNames().includes(machine)) {
        log(`tillflow: no state machine "${machine}" for s3://${created.bucket}/${created.key}`);
        continue;
      }
      sfn.start(machine, event);
    }
  }
}

function snsTopics(parts: Parts, log?: (line: string) => void): SnsTopics {
  const alertsTopic = topicArn(TOPIC_NAMES.alerts);
  return new SnsTopics({
    topicArns: [alertsTopic, topicArn(TOPIC_NAMES.report), topicArn(TOPIC_NAMES.jobs)],
    dir: join(parts.stateDir, 'sns'),
    onMessage: (m) => {
      if (m.topicArn === alertsTopic) {
        (log ?? parts.log)(`tillflow: ALERT ${m.subject ?? ''}: ${m.message.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    },
  });
}

/**
 * Phase 2: the storage process (S3, DynamoDB) and the platform's own servers (HTTP API, Step Functions, SNS, SES,
 * CloudWatch Logs), all at once. Requests that arrive before the platform is ready wait for it.
 */
async function startServers(
  parts: Parts,
  options: PlatformOptions,
  router: EventRouter,
  topics: SnsTopics,
): Promise<void> {
  const ports: Ports = { ...DEFAULT_PORTS, ...options.ports };
  const storage = startStorage(
    {
      host: parts.host,
      verbose: options.verbose ?? false,
      s3: { port: ports.s3, flag: PORT_FLAGS.s3, dir: join(parts.stateDir, 's3'), bucket: BUCKET_NAME },
      dynamodb: {
        port: ports.dynamodb,
        flag: PORT_FLAGS.dynamodb,
        ...(options.inMemoryDynamoDB ? {} : { path: join(parts.stateDir, 'dynamodb') }),
      },
    },
    (created) => router.route(created),
  );
  const whenReady =
    (listener: () => RequestListener | undefined): RequestListener =>
    (req, res) => {
      const serve = listener();
      if (!serve) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'the platform is starting' } }));
        return;
      }
      void Promise.resolve(serve(req, res)).catch((error: Error) => {
        parts.log(`tillflow: ${req.method} ${req.url} failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal Server Error' } }));
      });
    };
  let gateway: RequestListener | undefined;
  let sfnApi: RequestListener | undefined;
  let sesApi: RequestListener | undefined;
  const serve = async (key: 'api' | 'sfn' | 'sns' | 'logs' | 'ses', listener: RequestListener): Promise<void> => {
    parts.servers[key] = await listen(listener, ports[key], parts.host, PORT_FLAGS[key]);
  };
  const results = await Promise.allSettled([
    storage.then((s) => {
      parts.storage = s;
    }),
    serve(
      'api',
      whenReady(() => {
        if (!parts.runtime) return undefined;
        gateway ??= gatewayListener({
          routes: options.routes ?? API_ROUTES,
          runtime: parts.runtime,
          ...(options.staticDir ? { staticDir: options.staticDir } : {}),
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          localRoutes: localRoutes(parts.stateDir),
          corsOrigins: parts.corsOrigins ?? [],
          onFunctionError: (fn, error) =>
            parts.log(`tillflow: ${fn} failed on an API request: ${error.name}: ${error.message}`),
        });
        return gateway;
      }),
    ),
    serve(
      'sfn',
      whenReady(() => {
        if (!parts.sfn) return undefined;
        sfnApi ??= sfnApiListener(parts.sfn);
        return sfnApi;
      }),
    ),
    serve('sns', snsApiListener(topics)),
    serve('logs', logsApiListener(parts.logStore)),
    serve(
      'ses',
      whenReady(() => {
        if (!parts.mailbox) return undefined;
        sesApi ??= sesApiListener(parts.mailbox);
        return sesApi;
      }),
    ),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** The API's CORS origins: the option, else Terraform's `cors_origins` default. */
function corsOriginsOf(options: PlatformOptions, terraform: TerraformSettings): readonly string[] {
  if (options.corsOrigins) return options.corsOrigins;
  const fallback = terraform.defaults.cors_origins;
  return Array.isArray(fallback) ? fallback.map(String) : [];
}

function endpointsOf(parts: Parts): Platform['endpoints'] {
  const { storage, servers, host } = parts;
  const port = (key: keyof Ports): number =>
    key === 's3'
      ? (storage?.s3Port ?? 0)
      : key === 'dynamodb'
        ? (storage?.dynamodbPort ?? 0)
        : (servers[key]?.port ?? 0);
  const endpoints = {} as Platform['endpoints'];
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof Ports)[]) endpoints[key] = `http://${host}:${port(key)}`;
  return endpoints;
}

/**
 * Phase 3: the local SES account (its one verified identity is the report's sender), each function's settings
 * (Terraform's memory, timeout and variables, with the local endpoints), the Lambda runtime that runs their bundles, and the state machines (validated once per definition). Returns the
 * platform's variable values.
 */
async function loadFunctions(
  parts: Parts,
  options: PlatformOptions,
  terraform: TerraformSettings,
  topics: SnsTopics,
): Promise<Record<string, string>> {
  const functionsDir = resolve(options.functionsDir ?? join(REPO_ROOT, 'functions'));
  const stateMachinesDir = resolve(options.stateMachinesDir ?? join(REPO_ROOT, 'state-machines'));
  const endpoints = endpointsOf(parts);
  const reportEmail = localReportEmail(options.reportEmail, terraform.defaults);
  parts.mailbox = new SesMailbox({
    dir: join(parts.stateDir, 'ses'),
    identities: [reportEmail.sender],
    ...(options.onEmail ? { onMessage: options.onEmail } : {}),
  });
  const known = {
    ...knownValues({
      expectedStores: options.expectedStores ?? DEFAULT_EXPECTED_STORES,
      timeZone: options.timeZone ?? String(terraform.defaults.daily_analysis_timezone ?? 'UTC'),
      verbose: options.verbose ?? false,
      reportEmail,
    }),
    CORS_ALLOWED_ORIGINS: corsOriginsOf(options, terraform).join(','),
  };
  parts.corsOrigins = corsOriginsOf(options, terraform);
  const additions = { ...localAdditions(await functionEndpoints(parts, options, endpoints)), ...options.env };
  const functions = resolveFunctions({
    functionsDir,
    terraform,
    known,
    additions,
    ...(options.fromSource ? { fromSource: true } : {}),
    ...(options.functionTimeoutsSeconds ? { timeoutsSeconds: options.functionTimeoutsSeconds } : {}),
    ...(options.functionMemoryMb ? { memoryMb: options.functionMemoryMb } : {}),
  });
  const verbose = options.verbose ?? false;
  for (const name of functions.keys()) parts.logStore.createLogGroup(functionLogGroup(name));
  const extra = options.logs;
  const logStore = parts.logStore;
  parts.runtime = new LambdaRuntime({
    functions,
    logs: extra
      ? {
          put: (group, stream, events) => {
            logStore.put(group, stream, events);
            extra.put(group, stream, events);
          },
        }
      : logStore,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(verbose ? { echo: (fn: string, line: string) => parts.log(`[${fn}] ${line}`) } : {}),
  });
  parts.sfn = await StepFunctions.create({
    machinesDir: stateMachinesDir,
    runtime: parts.runtime,
    templateVars: templateVariables({
      functionNames: [...functions.keys()],
      machineNames: machineNames(stateMachinesDir),
      alertsTopicArn: topicArn(TOPIC_NAMES.alerts),
      reportTopicArn: topicArn(TOPIC_NAMES.report),
      jobsTopicArn: topicArn(TOPIC_NAMES.jobs),
      bucketName: BUCKET_NAME,
      salesTable: SALES_TABLE,
      idempotencyTable: IDEMPOTENCY_TABLE,
    }),
    publish: (arn, message, subject) => topics.publish(arn, message, subject),
    stateDir: parts.stateDir,
    validationCacheFile: join(CACHE_DIR, 'asl-validated.json'),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    onExecutionEnd: (record) => {
      if (record.status !== 'SUCCEEDED' && record.status !== 'ABORTED') {
        parts.log(`tillflow: execution ${record.machine}/${record.name} ${record.status}: ${record.error ?? ''}`);
      }
      options.onExecutionEnd?.(record);
    },
  });
  return { ...known, ...additions };
}

/** The endpoints the functions reach: the servers', or for S3 and DynamoDB the fault proxy's when there is one. */
async function functionEndpoints(
  parts: Parts,
  options: PlatformOptions,
  endpoints: Platform['endpoints'],
): Promise<Platform['endpoints']> {
  if (!options.faults) return endpoints;
  parts.faults = options.faults;
  const proxied = await options.faults.listen({
    s3: endpoints.s3,
    dynamodb: endpoints.dynamodb,
    host: parts.host,
    kill: (name) => parts.runtime?.kill(name) ?? 0,
  });
  return { ...endpoints, ...proxied };
}

/** Phase 4: the tables Terraform would create, then what an interrupted earlier run left (see `reconcile`). */
async function recover(parts: Parts, router: EventRouter): Promise<Reconciled> {
  const endpoints = endpointsOf(parts);
  const dynamo = new DynamoDBClient({ region: REGION, endpoint: endpoints.dynamodb, credentials: LOCAL_CREDENTIALS });
  const s3 = localS3Client(endpoints.s3);
  parts.clients.push(dynamo, s3);
  await ensureTables(dynamo);
  const sfn = parts.sfn as StepFunctions;
  const reconciled = await reconcile({
    s3,
    documents: DynamoDBDocumentClient.from(dynamo),
    bucket: BUCKET_NAME,
    salesTable: SALES_TABLE,
    idempotencyTable: IDEMPOTENCY_TABLE,
    executions: () => sfn.allExecutions(),
    start: (machine, input, name) => sfn.start(machine, input, name),
    sequencer: () => router.nextSequencer(),
  });
  if (reconciled.uploads.length > 0 || reconciled.days.length > 0) {
    parts.log(
      `tillflow: resuming what the last run left: ${reconciled.uploads.length} uploads to process, ` +
        `${reconciled.days.length} days to analyse` +
        (reconciled.releasedInvocations ? `, ${reconciled.releasedInvocations} interrupted invocations released` : ''),
    );
  }
  return reconciled;
}

/** Phase 5: the schedules Terraform deploys (the daily cut-off), in the business time zone. */
function startSchedules(
  parts: Parts,
  options: PlatformOptions,
  terraform: TerraformSettings,
  env: Record<string, string>,
): void {
  const runtime = parts.runtime as LambdaRuntime;
  parts.scheduler = new Scheduler({
    schedules: (options.schedules ?? defaultSchedules(terraform)).filter((s) => runtime.has(s.functionName)),
    timeZone: env.DAILY_ANALYSIS_TIMEZONE as string,
    invoke: (fn, event) => runtime.invoke(fn, event),
    onError: (fn, error) => parts.log(`tillflow: scheduled ${fn} failed: ${error.name}: ${error.message}`),
  });
  parts.scheduler.start();
}

function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    region: REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
}

/** Resolves when no S3 event is being routed, no execution runs and no invocation is under way. */
async function waitForIdle(parts: Parts, timeoutMs: number): Promise<void> {
  const { storage, sfn, runtime } = parts;
  const deadline = Date.now() + timeoutMs;
  const busy = (): boolean =>
    (storage?.pendingEvents ?? 0) > 0 || (sfn?.running ?? 0) > 0 || (runtime?.inflight ?? 0) > 0;
  for (;;) {
    if (!busy()) {
      // A moment of quiet: a client may be between a response and its next request.
      await sleep(20);
      if (!busy()) return;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the platform is still busy after ${timeoutMs} ms: ${busyText(parts)}`);
    await Promise.race([
      storage?.nextSettled(),
      sfn?.nextSettled(),
      runtime?.nextSettled(),
      sleep(Math.min(left, 1000)),
    ]);
  }
}

function busyText(parts: Parts): string {
  const running = parts.sfn?.executions().filter((r) => r.status === 'RUNNING') ?? [];
  const names = running
    .slice(0, 5)
    .map((r) => `${r.machine}/${r.name}`)
    .join(', ');
  return (
    `${running.length} executions running${names ? ` (${names}${running.length > 5 ? ', …' : ''})` : ''}, ` +
    `${parts.runtime?.inflight ?? 0} invocations, ${parts.storage?.pendingEvents ?? 0} S3 events`
  );
}

/**
 * Stops in order, so that nothing accepted is lost: the schedules and the HTTP API first and S3 events no longer
 * routed (nothing new is taken), then running executions and invocations get `graceMs` to finish, saying what they
 * wait for every few seconds; what still runs then is aborted (its uploads and days are reconciled at the next
 * start). Then the environments end, the platform's servers close, storage (S3, DynamoDB) last, and the state folder
 * is released.
 */
async function drainAndStop(parts: Parts, graceMs: number): Promise<void> {
  try {
    parts.scheduler?.stop();
    parts.routing = false;
    await parts.servers.api?.close();
    if (parts.sfn && parts.runtime) {
      const began = Date.now();
      const ticker = setInterval(() => {
        parts.log(
          `tillflow: stopping: waiting for ${busyText(parts)} (${Math.round((Date.now() - began) / 1000)} of ${Math.round(graceMs / 1000)} s)`,
        );
      }, 5000);
      try {
        if (parts.sfn.running > 0 || parts.runtime.inflight > 0)
          parts.log(`tillflow: stopping: waiting for ${busyText(parts)}`);
        await waitForIdle(parts, graceMs);
      } catch {
        parts.log(`tillflow: stopping: aborting ${busyText(parts)}; the next start resumes them`);
        parts.sfn.abortAll();
      } finally {
        clearInterval(ticker);
      }
    }
    await parts.runtime?.close();
    await Promise.all([
      parts.servers.sfn?.close(),
      parts.servers.sns?.close(),
      parts.servers.logs?.close(),
      parts.servers.ses?.close(),
      parts.faults?.close(),
    ]);
    await parts.storage?.stop();
    for (const client of parts.clients) client.destroy();
  } finally {
    parts.release();
  }
}

function running(
  parts: Parts,
  options: PlatformOptions,
  env: Record<string, string>,
  topics: SnsTopics,
  reconciled: Reconciled,
): Platform {
  const endpoints = endpointsOf(parts);
  const sfn = parts.sfn as StepFunctions;
  const runtime = parts.runtime as LambdaRuntime;
  const track = <T extends { destroy(): void }>(client: T): T => {
    parts.clients.push(client);
    return client;
  };
  let dynamo: DynamoDBClient | undefined;
  const dynamoClient = (): DynamoDBClient => {
    dynamo ??= track(
      new DynamoDBClient({ region: REGION, endpoint: endpoints.dynamodb, credentials: LOCAL_CREDENTIALS }),
    );
    return dynamo;
  };
  let stopping: Promise<void> | undefined;
  return {
    ports: Object.fromEntries(Object.entries(endpoints).map(([k, url]) => [k, Number(new URL(url).port)])) as Ports,
    endpoints,
    stateDir: parts.stateDir,
    bucket: BUCKET_NAME,
    tables: { sales: SALES_TABLE, idempotency: IDEMPOTENCY_TABLE },
    env,
    reconciled,
    executions: (filter = {}) =>
      sfn
        .executions()
        .filter(
          (r) => (!filter.machine || r.machine === filter.machine) && (!filter.status || r.status === filter.status),
        ),
    describeExecution: (arn) => sfn.describeExecution(arn),
    startExecution: (machine, input, name) => sfn.start(machine, input, name),
    messages: (topic) => topics.messages(topic),
    emails: () => parts.mailbox?.messages() ?? [],
    invoke: (fn, event) => runtime.invoke(fn, event),
    runtime,
    logStore: parts.logStore,
    scheduler: parts.scheduler as Scheduler,
    waitForIdle: ({ timeoutMs = 300_000 } = {}) => waitForIdle(parts, timeoutMs),
    s3Client: () => track(localS3Client(endpoints.s3)),
    dynamoClient,
    documentClient: () =>
      DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } }),
    sfnClient: () => track(new SFNClient({ region: REGION, endpoint: endpoints.sfn, credentials: LOCAL_CREDENTIALS })),
    snsClient: () => track(new SNSClient({ region: REGION, endpoint: endpoints.sns, credentials: LOCAL_CREDENTIALS })),
    sesClient: () =>
      track(new SESv2Client({ region: REGION, endpoint: endpoints.ses, credentials: LOCAL_CREDENTIALS })),
    stop({ graceMs = options.retryIntervalMs !== undefined ? 10_000 : 30_000 } = {}) {
      stopping ??= drainAndStop(parts, graceMs);
      return stopping;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
