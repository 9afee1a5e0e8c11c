import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DEFAULT_EXPECTED_STORES } from '../env';
import { StateDirInUseError } from '../lifecycle/state-lock';
import { DEFAULT_PORTS, type Platform, type PlatformOptions, type Ports, REPO_ROOT, startPlatform } from '../platform';
import { PortInUseError } from '../servers/http';
import type { ExecutionRecord } from '../servers/step-functions';
import { runLakeCommand } from './lake-command';
import { runLogsCommand } from './logs-command';
import { storeFiles, storeIdsOf, type UploadResult, uploadStoreFiles } from './sample-upload';
import { formatSummary, succeeded, summarize, uploadOutcome } from './summary';

/** The `tillflow` command's options, from flags over environment variables over defaults. */
interface CommandOptions {
  ports: Ports;
  stateDir: string;
  dataDir: string;
  sampleData: boolean;
  once: boolean;
  expectedStores: string[];
  timeZone: string;
  verbose: boolean;
  help: boolean;
  fromSource: boolean;
  concurrency?: number;
  /** `TILLFLOW_API_KEY`: the key the API then needs in `x-api-key`. */
  apiKey?: string;
  /** `TILLFLOW_CORS_ORIGINS`: browser origins the API answers with CORS headers. */
  corsOrigins?: string[];
  functionsDir?: string;
  stateMachinesDir?: string;
}

/** A command line that cannot be run; the message says why. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What `tillflow --help` prints. */
export const USAGE = `Usage: tillflow [options]      (npm start -- [options])

Runs Tillflow on this machine: S3, DynamoDB, Step Functions, SNS and the HTTP API, each function from its built
bundle in Lambda-like execution environments. Until the data folder's store files have all been uploaded (a first
run), it uploads them through the API as stores do, waits for every workflow and prints a summary. Each start
resumes what an interrupted run left: uploads not yet processed, complete days not yet analysed.

Options (environment variable in brackets):
  --api-port N            HTTP API port, default 3000                  [TILLFLOW_API_PORT]
  --s3-port N             S3 port, default 4569                        [TILLFLOW_S3_PORT]
  --dynamodb-port N       DynamoDB port, default 8000                  [TILLFLOW_DYNAMODB_PORT]
  --sfn-port N            Step Functions API port, default 8083        [TILLFLOW_SFN_PORT]
  --sns-port N            SNS API port, default 8084                   [TILLFLOW_SNS_PORT]
  --logs-port N           CloudWatch Logs API port, default 8085       [TILLFLOW_LOGS_PORT]
  --state-dir DIR         where data is kept, default .tillflow/       [TILLFLOW_STATE_DIR]
  --data-dir DIR          store files to upload, default sample-data/  [TILLFLOW_DATA_DIR]
  --no-sample-data        do not upload the data folder on a first run
  --once                  process, print the summary and exit: 0 when every workflow succeeded
  --expected-stores IDS   comma-separated store ids a day needs, default: the ids in the data folder's
                          file names, else 0001..0011                   [TILLFLOW_EXPECTED_STORES]
  --time-zone TZ          the business time zone, default UTC           [TILLFLOW_TIME_ZONE]
  --verbose               handler INFO logs and the S3 request log
  --concurrency N         execution environments at most, all functions together, default 10
                                                                      [TILLFLOW_CONCURRENCY]
  --from-source           run the functions' src/handler.ts instead of their bundles (quick iteration only:
                          the bundles are what deploys and what the tests run)
  --functions-dir DIR     functions to run, default functions/
  --state-machines-dir DIR  ASL files to run, default state-machines/
  --help                  this text

Ports 0 pick free ports. Delete the state folder to start afresh.
TILLFLOW_API_KEY=K makes every API route but GET /health need the header x-api-key: K.
TILLFLOW_CORS_ORIGINS=http://localhost:5173,... lets those browser origins call the API (default: none, as Terraform).

  tillflow logs <function> [--follow] [--since 10m]   a function's logs from a running platform (logs --help)
  tillflow lake [--date D] [--store S] [--sql QUERY]   the lake's Parquet files; a DuckDB query over them (lake --help)`;

/** Reads the command line and the environment; throws a {@link UsageError} for a bad value. */
function parseCommandLine(argv: string[], env: Record<string, string | undefined> = process.env): CommandOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'api-port': { type: 'string' },
        's3-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'sfn-port': { type: 'string' },
        'sns-port': { type: 'string' },
        'logs-port': { type: 'string' },
        'state-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        'no-sample-data': { type: 'boolean' },
        once: { type: 'boolean' },
        'expected-stores': { type: 'string' },
        'time-zone': { type: 'string' },
        verbose: { type: 'boolean' },
        'functions-dir': { type: 'string' },
        'state-machines-dir': { type: 'string' },
        'from-source': { type: 'boolean' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (flag: string, variable?: string): string | undefined =>
    (values[flag] as string | undefined) ?? (variable ? env[variable] : undefined);
  const port = (key: keyof Ports, variable: string): number => {
    const raw = text(`${key}-port`, variable);
    if (raw === undefined || raw === '') return DEFAULT_PORTS[key];
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535)
      throw new UsageError(`--${key}-port must be a port number (0-65535), got "${raw}"`);
    return n;
  };
  const dataDir = resolve(text('data-dir', 'TILLFLOW_DATA_DIR') ?? resolve(REPO_ROOT, 'sample-data'));
  const storesText = text('expected-stores', 'TILLFLOW_EXPECTED_STORES');
  const dataStores = storesText ? [] : storeIdsOf(storeFiles(dataDir));
  const expectedStores = storesText
    ? storesText
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : dataStores.length > 0
      ? dataStores
      : [...DEFAULT_EXPECTED_STORES];
  const badStore = expectedStores.find((s) => !/^\d{4}$/.test(s));
  if (badStore !== undefined || expectedStores.length === 0) {
    throw new UsageError(`--expected-stores takes four-digit store ids separated by commas, got "${storesText}"`);
  }
  const timeZone = text('time-zone', 'TILLFLOW_TIME_ZONE') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UsageError(`--time-zone: "${timeZone}" is not a time zone (for example Europe/Paris)`);
  }
  const concurrencyText = text('concurrency', 'TILLFLOW_CONCURRENCY');
  const concurrency = concurrencyText === undefined || concurrencyText === '' ? undefined : Number(concurrencyText);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)) {
    throw new UsageError(`--concurrency takes a whole number from 1 to 1000, got "${concurrencyText}"`);
  }
  const apiKey = env.TILLFLOW_API_KEY;
  const corsText = env.TILLFLOW_CORS_ORIGINS;
  const corsOrigins = corsText
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badOrigin = corsOrigins?.find((o) => o !== '*' && !/^https?:\/\/[^/]+$/.test(o));
  if (badOrigin !== undefined)
    throw new UsageError(`TILLFLOW_CORS_ORIGINS takes scheme://host[:port] origins or *, got "${badOrigin}"`);
  const functionsDir = values['functions-dir'] as string | undefined;
  const stateMachinesDir = values['state-machines-dir'] as string | undefined;
  return {
    ports: {
      api: port('api', 'TILLFLOW_API_PORT'),
      s3: port('s3', 'TILLFLOW_S3_PORT'),
      dynamodb: port('dynamodb', 'TILLFLOW_DYNAMODB_PORT'),
      sfn: port('sfn', 'TILLFLOW_SFN_PORT'),
      sns: port('sns', 'TILLFLOW_SNS_PORT'),
      logs: port('logs', 'TILLFLOW_LOGS_PORT'),
    },
    stateDir: resolve(text('state-dir', 'TILLFLOW_STATE_DIR') ?? resolve(REPO_ROOT, '.tillflow')),
    dataDir,
    sampleData: values['no-sample-data'] !== true,
    once: values.once === true,
    expectedStores,
    timeZone,
    verbose: values.verbose === true,
    help: values.help === true,
    fromSource: values['from-source'] === true,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(corsOrigins ? { corsOrigins } : {}),
    ...(functionsDir ? { functionsDir: resolve(functionsDir) } : {}),
    ...(stateMachinesDir ? { stateMachinesDir: resolve(stateMachinesDir) } : {}),
  };
}

/** Where the command writes: stdout for results, stderr for problems. */
export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when `out` is a terminal (progress is then shown on one line). */
  tty?: boolean;
}

const defaultOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stdout.isTTY,
};

/**
 * Runs the `tillflow` command; resolves with the exit code. `stopSignal` resolves when the user asks to stop
 * (SIGINT/SIGTERM): without `--once` the platform serves until then.
 */
export async function runCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output?: CommandOutput; stopSignal?: Promise<unknown> } = {},
): Promise<number> {
  if (argv[0] === 'logs') return runLogsCommand(argv.slice(1), { ...options, output: options.output ?? defaultOutput });
  if (argv[0] === 'lake') return runLakeCommand(argv.slice(1), { ...options, output: options.output ?? defaultOutput });
  const { out, err, tty } = options.output ?? defaultOutput;
  let opts: CommandOptions;
  try {
    opts = parseCommandLine(argv, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`tillflow: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    out(USAGE);
    return 0;
  }
  const began = Date.now();
  const show = (path: string): string => {
    const rel = relative(process.cwd(), path);
    return `${rel.startsWith('..') ? path : rel || '.'}/`;
  };

  const platformOptions: PlatformOptions = {
    stateDir: opts.stateDir,
    ports: opts.ports,
    expectedStores: opts.expectedStores,
    timeZone: opts.timeZone,
    verbose: opts.verbose,
    log: err,
    onExecutionEnd: (record) => {
      const line = executionLine(record);
      if (line) out(line);
    },
    ...(opts.fromSource ? { fromSource: true } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    ...(opts.corsOrigins ? { corsOrigins: opts.corsOrigins } : {}),
    ...(opts.functionsDir ? { functionsDir: opts.functionsDir } : {}),
    ...(opts.stateMachinesDir ? { stateMachinesDir: opts.stateMachinesDir } : {}),
  };
  let platform: Platform;
  try {
    platform = await startPlatform(platformOptions);
  } catch (error) {
    const known = error instanceof PortInUseError || error instanceof StateDirInUseError;
    err(`tillflow: ${known ? (error as Error).message : `could not start: ${(error as Error).message}`}`);
    return known ? 3 : 1;
  }
  const e = platform.endpoints;
  out(
    `Tillflow local platform up in ${((Date.now() - began) / 1000).toFixed(1)} s. API ${e.api}  S3 ${e.s3}  ` +
      `DynamoDB ${e.dynamodb}  Step Functions ${e.sfn}  SNS ${e.sns}  Logs ${e.logs}  state ${show(opts.stateDir)}`,
  );

  const stopRequested = options.stopSignal ?? new Promise<never>(() => undefined);
  let stopped = false;
  void stopRequested.then(() => {
    stopped = true;
  });
  // Work that a stop request cuts short: resolves false when the user asked to stop first.
  const unlessStopped = async (work: Promise<unknown>): Promise<boolean> => {
    work.catch(() => undefined);
    return Promise.race([work.then(() => true), stopRequested.then(() => false)]);
  };

  let code = 0;
  try {
    const marker = join(opts.stateDir, SAMPLE_DATA_MARKER);
    let uploads: UploadResult[] = [];
    if (opts.sampleData && !existsSync(marker)) {
      const files = storeFiles(opts.dataDir);
      if (files.length === 0) err(`tillflow: no store_<NNNN>_<YYYY-MM-DD>.json files in ${show(opts.dataDir)}`);
      const pending = await notYetUploaded(platform, opts.dataDir, files);
      if (pending.length > 0) {
        out(
          `Uploading ${pending.length}${pending.length < files.length ? ` of ${files.length}` : ''} store files ` +
            `from ${show(opts.dataDir)} through POST /uploads…`,
        );
      }
      const sent = await unlessStopped(
        (async () => {
          uploads = await uploadStoreFiles(e.api, opts.dataDir, {
            files: pending,
            ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
            onUploaded: (_result, done, total) => {
              if (tty) process.stdout.write(`\r  uploaded ${done}/${total}${done === total ? '\n' : ''}`);
            },
          });
        })(),
      );
      // Written only when every file is in: a run stopped half way uploads the rest next time.
      if (sent && files.length > 0 && uploads.every((u) => u.ok))
        writeFileSync(marker, `${new Date().toISOString()}\n`);
    } else if (!opts.sampleData) {
      out('Sample data not uploaded (--no-sample-data).');
    } else {
      out(`The sample data is already in ${show(opts.stateDir)} (delete the folder to start afresh).`);
    }

    const worked = uploads.length > 0 || platform.executions().length > 0;
    if (!stopped && (opts.once || worked)) {
      if (worked) out('Waiting for the workflows…');
      if (await unlessStopped(platform.waitForIdle({ timeoutMs: 60 * 60 * 1000 }))) {
        if (worked) {
          const summary = await summarize(platform, {
            uploads,
            expectedStores: opts.expectedStores,
            elapsedMs: Date.now() - began,
          });
          out(formatSummary(summary));
          if (!succeeded(summary)) code = 1;
        }
      } else {
        out('Stopped before the workflows finished: no summary (the next start resumes them).');
        code = 130;
      }
    }
    if (!opts.once && !stopped) {
      out(`Serving. Ctrl-C stops.`);
      await stopRequested;
    }
    if (stopped) out('Stopping…');
  } finally {
    await platform.stop();
  }
  return code;
}

/** Written to the state folder once every sample file was uploaded: "first run" means this file is absent. */
export const SAMPLE_DATA_MARKER = 'sample-data.uploaded';

/** The store files whose content is not in the bucket yet under their key (an earlier run may have sent some). */
async function notYetUploaded(platform: Platform, dataDir: string, files: string[]): Promise<string[]> {
  const s3 = platform.s3Client();
  const stored = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: 'uploads/', ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) stored.set(o.Key as string, (o.ETag ?? '').replaceAll('"', ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return files.filter((file) => {
    const etag = stored.get(`uploads/${file}`);
    return (
      etag !==
      createHash('md5')
        .update(readFileSync(join(dataDir, file)))
        .digest('hex')
    );
  });
}

/** The console line of an ended execution: one per upload processed or rejected, one per day analysed. */
export function executionLine(record: ExecutionRecord): string | undefined {
  if (record.status !== 'SUCCEEDED' || record.output === undefined) return undefined;
  const output = JSON.parse(record.output) as Record<string, unknown>;
  if (record.machine === 'upload-processor') {
    const outcome = uploadOutcome(output);
    const key = String(output.sourceKey ?? '');
    if (outcome.fileRejected) return `  rejected  ${key}: ${String(output.reason ?? 'the file cannot be read')}`;
    const lines = outcome.acceptedLines + outcome.rejectedLines;
    return `  processed ${key}: ${lines} lines${outcome.rejectedLines ? `, ${outcome.rejectedLines} rejected` : ''}`;
  }
  if (record.machine === 'daily-analysis' && typeof output.date === 'string') {
    const net = typeof output.net_sales === 'number' ? `, net sales ${output.net_sales.toFixed(2)}` : '';
    const stores = output.stores_reported ?? output.stores;
    return `  analysed  ${output.date} r${String(output.revision ?? 1)}: ${String(stores ?? 0)} stores${net}`;
  }
  return undefined;
}
