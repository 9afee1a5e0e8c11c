import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { REGION } from '../resources';
import { functionLogGroup } from '../servers/logs';
import type { CommandOutput } from './command';
import { parseSubcommand } from './subcommand';

/** What `tillflow logs --help` prints. */
export const LOGS_USAGE = `Usage: tillflow logs <function> [options]      (npm start -- logs <function> [options])

Prints the log events of a function of a running local platform (its log group /aws/lambda/tillflow-<function>),
oldest first, one "timestamp stream message" line each, read through the platform's CloudWatch Logs API.

Options (environment variable in brackets):
  --since T               from T ago (30s, 10m, 2h, 1d, 1w) or an ISO 8601 time, default 10m
  --follow, -f            keep printing new events until Ctrl-C
  --filter-pattern P      only events matching a CloudWatch Logs filter pattern (terms, "phrases", { $.x = y })
  --logs-port N           the platform's Logs API port, default 8085     [TILLFLOW_LOGS_PORT]
  --help                  this text`;

/** The credentials the local servers accept and check (any would do for the Logs API; these are its own). */
const LOCAL_API_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `10m` → ten minutes before `now`; an ISO 8601 time as it is. Undefined when it is neither. */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const relative = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const absolute = Date.parse(text);
  return Number.isNaN(absolute) ? undefined : absolute;
}

/** Options of {@link runLogsCommand}: where it writes, what stops `--follow`, and how often it polls. */
export interface LogsCommandOptions {
  env?: Record<string, string | undefined>;
  output: CommandOutput;
  /** Resolves when the user asks to stop (Ctrl-C): `--follow` ends then. */
  stopSignal?: Promise<unknown>;
  /** Between polls of `--follow` (default 1 s; the AWS CLI's `tail --follow` waits 5 s). */
  pollIntervalMs?: number;
}

/**
 * `tillflow logs <function> [--follow] [--since 10m]`: the function's log events through the Logs API of a running
 * platform, as `aws logs tail` reads them (FilterLogEvents from a start time, page after page; with `--follow`, polls
 * from the newest timestamp seen, skipping the events already printed). Resolves with the exit code: 0, 1 when no
 * platform answers or the function has no log group, 2 for a bad command line.
 */
export async function runLogsCommand(argv: string[], options: LogsCommandOptions): Promise<number> {
  const { err } = options.output;
  const env = options.env ?? process.env;
  const line = parseSubcommand(
    argv,
    {
      name: 'logs',
      usage: LOGS_USAGE,
      positionals: true,
      options: {
        since: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        'filter-pattern': { type: 'string' },
        'logs-port': { type: 'string' },
      },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const usage = (message: string): number => {
    err(`tillflow logs: ${message}\n\n${LOGS_USAGE}`);
    return 2;
  };
  if (positionals.length !== 1) return usage('name one function, for example: tillflow logs process-upload');
  const fn = positionals[0] as string;
  const portText = (values['logs-port'] as string | undefined) ?? env.TILLFLOW_LOGS_PORT ?? '8085';
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return usage(`--logs-port must be a port number (1-65535), got "${portText}"`);
  }
  const sinceText = (values.since as string | undefined) ?? '10m';
  const startTime = parseSince(sinceText);
  if (startTime === undefined)
    return usage(`--since takes 30s, 10m, 2h, 1d, 1w or an ISO 8601 time, got "${sinceText}"`);

  const endpoint = `http://127.0.0.1:${portText}`;
  const group = fn.startsWith('/') ? fn : functionLogGroup(fn.replace(/^tillflow-/, ''));
  const client = new CloudWatchLogsClient({
    region: REGION,
    endpoint,
    credentials: LOCAL_API_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    if (!(await groupExists(client, group))) {
      const groups = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: functionLogGroup('') }));
      const known = (groups.logGroups ?? []).map((g) => (g.logGroupName ?? '').slice(functionLogGroup('').length));
      err(
        `tillflow logs: the platform at ${endpoint} has no function "${fn}" (no log group ${group}). Functions: ${known.join(', ')}`,
      );
      return 1;
    }
    const filterPattern = values['filter-pattern'] as string | undefined;
    await printEvents(client, { group, startTime, follow: values.follow === true, filterPattern }, options);
    return 0;
  } catch (error) {
    if (isUnreachable(error)) {
      err(
        `tillflow logs: no local platform answers at ${endpoint} (start one with npm start, or give its --logs-port): ` +
          (error as Error).message,
      );
      return 1;
    }
    err(`tillflow logs: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  } finally {
    client.destroy();
  }
}

async function groupExists(client: CloudWatchLogsClient, group: string): Promise<boolean> {
  const answer = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  return (answer.logGroups ?? []).some((g) => g.logGroupName === group);
}

async function printEvents(
  client: CloudWatchLogsClient,
  query: { group: string; startTime: number; follow: boolean; filterPattern: string | undefined },
  options: LogsCommandOptions,
): Promise<void> {
  let stopped = false;
  const stop = options.stopSignal ?? new Promise<never>(() => undefined);
  void stop.then(() => {
    stopped = true;
  });
  let startTime = query.startTime;
  // Ids printed at the newest timestamp: a poll from that timestamp returns them again.
  let newest = { timestamp: -1, ids: new Set<string>() };
  for (;;) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new FilterLogEventsCommand({
          logGroupName: query.group,
          startTime,
          ...(query.filterPattern ? { filterPattern: query.filterPattern } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const e of page.events ?? []) {
        const timestamp = e.timestamp ?? 0;
        const id = e.eventId ?? '';
        if (timestamp === newest.timestamp && newest.ids.has(id)) continue;
        if (timestamp > newest.timestamp) newest = { timestamp, ids: new Set() };
        if (timestamp === newest.timestamp) newest.ids.add(id);
        options.output.out(
          `${new Date(timestamp).toISOString()} ${e.logStreamName ?? ''} ${(e.message ?? '').trimEnd()}`,
        );
      }
      nextToken = page.nextToken;
    } while (nextToken && !stopped);
    if (!query.follow || stopped) return;
    if (newest.timestamp >= 0) startTime = newest.timestamp;
    const waited = await Promise.race([sleep(options.pollIntervalMs ?? 1000).then(() => true), stop.then(() => false)]);
    if (!waited) return;
  }
}

/** True for a request that reached no server (refused, reset, no such host), as opposed to an API error. */
function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; $metadata?: { httpStatusCode?: number }; name?: string };
  if (e.$metadata?.httpStatusCode !== undefined) return false;
  return ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(e.code ?? e.name ?? '') || !e.$metadata;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
