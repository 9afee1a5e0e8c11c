import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { ACCOUNT_ID, REGION, resourceName } from '../resources';
import { AwsApiError, jsonProtocolListener } from './json-protocol';
import { compileFilterPattern, FilterPatternError, type MessageFilter } from './log-filter';

/**
 * `process-upload` → `/aws/lambda/tillflow-process-upload`: the log group of a function, named as
 * infrastructure/functions.tf names it (and as Lambda's `context.logGroupName` gives it).
 */
export function functionLogGroup(functionName: string): string {
  return `/aws/lambda/${resourceName(functionName)}`;
}

/** One event as stored and as GetLogEvents returns it (epoch milliseconds). */
export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** A log group as DescribeLogGroups describes it. */
export interface LogGroupInfo {
  logGroupName: string;
  creationTime: number;
  storedBytes: number;
}

/** A log stream as DescribeLogStreams describes it (the timestamps are absent while it has no event). */
export interface LogStreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

interface StreamState extends LogStreamInfo {
  file: string;
  /** Prefix of the event ids of this stream: ids are `<prefix>-<byte offset>`, stable across restarts. */
  idPrefix: string;
}

interface GroupState {
  name: string;
  creationTime: number;
  dir: string;
  streams: Map<string, StreamState>;
}

/** One line of a stream file, where it starts and where the next one starts. */
interface StoredLine {
  event: LogEvent;
  offset: number;
  next: number;
}

/** CloudWatch Logs caps a response at 1 MB and 10,000 events. */
const RESPONSE_LIMIT_BYTES = 1024 * 1024;
const EVENTS_LIMIT = 10_000;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The log groups of the local platform, on disk under `<state>/logs/`: a folder per group (its name URL-encoded, a
 * `group.json` with its creation time) holding an append-only `<stream>.ndjson` per stream, one event a line, so
 * that logs survive a restart and `aws logs` reads those of an earlier run. Memory holds each stream's metadata only;
 * reads stream through the files. Events of a stream are kept in the order they were put (the producer puts each
 * invocation's lines in time order, as PutLogEvents requires).
 */
export class LogStore {
  private readonly groups = new Map<string, GroupState>();

  /** Opens (and creates) the store in `dir`, reading the metadata of what an earlier run left there. */
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(dir)) {
      const groupFile = join(dir, entry, 'group.json');
      if (!existsSync(groupFile)) continue;
      try {
        const { logGroupName, creationTime } = JSON.parse(readFileSync(groupFile, 'utf8')) as GroupState & {
          logGroupName: string;
        };
        const group: GroupState = { name: logGroupName, creationTime, dir: join(dir, entry), streams: new Map() };
        for (const file of readdirSync(group.dir)) {
          if (!file.endsWith('.ndjson')) continue;
          const stream = this.newStream(group, decodeURIComponent(file.slice(0, -'.ndjson'.length)), 0);
          for (const line of readLines(stream.file, 0)) noteEvent(stream, line.event);
          stream.storedBytes = statSync(stream.file).size;
          group.streams.set(stream.logStreamName, stream);
        }
        this.groups.set(group.name, group);
      } catch {
        // A folder that is not a group of this store: ignored.
      }
    }
  }

  /** The log group name of a function (see {@link functionLogGroup}). */
  logGroupName(functionName: string): string {
    return functionLogGroup(functionName);
  }

  /** Creates a log group if it does not exist yet (the platform creates one per function at start). */
  createLogGroup(logGroupName: string): void {
    if (this.groups.has(logGroupName)) return;
    if (!/^[\w\-./#]{1,512}$/.test(logGroupName)) {
      throw new AwsApiError('InvalidParameterException', `Invalid log group name: ${logGroupName}`);
    }
    const group: GroupState = {
      name: logGroupName,
      creationTime: Date.now(),
      dir: join(this.dir, encodeURIComponent(logGroupName)),
      streams: new Map(),
    };
    mkdirSync(group.dir, { recursive: true });
    writeFileSync(join(group.dir, 'group.json'), JSON.stringify({ logGroupName, creationTime: group.creationTime }));
    this.groups.set(logGroupName, group);
  }

  /**
   * Appends events to a stream, creating the group and the stream when missing (as Lambda does on a function's
   * first invocation). The producer is the Lambda runtime, with each invocation's output lines; the events are
   * written in timestamp order (a stable sort of the batch) with the time of this call as their ingestion time.
   */
  put(logGroupName: string, logStreamName: string, events: { timestamp: number; message: string }[]): void {
    if (events.length === 0) return;
    this.createLogGroup(logGroupName);
    const group = this.groups.get(logGroupName) as GroupState;
    if (logStreamName.length === 0 || logStreamName.length > 512 || /[:*]/.test(logStreamName)) {
      throw new AwsApiError('InvalidParameterException', `Invalid log stream name: ${logStreamName}`);
    }
    const ingestionTime = Date.now();
    let stream = group.streams.get(logStreamName);
    if (!stream) {
      stream = this.newStream(group, logStreamName, ingestionTime);
      group.streams.set(logStreamName, stream);
    }
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    const lines = sorted.map((e) => {
      const event: LogEvent = { timestamp: e.timestamp, message: e.message, ingestionTime };
      noteEvent(stream, event);
      return `${JSON.stringify(event)}\n`;
    });
    const text = lines.join('');
    appendFileSync(stream.file, text);
    stream.storedBytes += Buffer.byteLength(text);
  }

  /** The groups, sorted by name, those whose name starts with `prefix` (or contains `pattern`, case-insensitive). */
  describeLogGroups(filter: { prefix?: string; pattern?: string } = {}): LogGroupInfo[] {
    const pattern = filter.pattern?.toLowerCase();
    return [...this.groups.values()]
      .filter((g) => !filter.prefix || g.name.startsWith(filter.prefix))
      .filter((g) => !pattern || g.name.toLowerCase().includes(pattern))
      .sort((a, b) => compare(a.name, b.name))
      .map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        storedBytes: [...g.streams.values()].reduce((sum, s) => sum + s.storedBytes, 0),
      }));
  }

  /** The streams of a group, by name or by their last event's time, as DescribeLogStreams orders them. */
  describeLogStreams(
    logGroupName: string,
    options: { prefix?: string; orderBy?: 'LogStreamName' | 'LastEventTime'; descending?: boolean } = {},
  ): LogStreamInfo[] {
    const group = this.group(logGroupName);
    const byTime = options.orderBy === 'LastEventTime';
    const streams = [...group.streams.values()]
      .filter((s) => !options.prefix || s.logStreamName.startsWith(options.prefix))
      .sort((a, b) =>
        byTime
          ? (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || compare(a.logStreamName, b.logStreamName)
          : compare(a.logStreamName, b.logStreamName),
      );
    if (options.descending) streams.reverse();
    return streams.map(({ file: _f, idPrefix: _i, ...info }) => ({ ...info }));
  }

  /**
   * GetLogEvents on one stream. Tokens are `f/<byte offset>` (read on from there) and `b/<byte offset>` (read back
   * from there); at the end of the stream the forward token comes back unchanged, which is how a reader knows it has
   * caught up. Without a token it reads the newest events, or the oldest with `startFromHead`.
   */
  getLogEvents(request: {
    logGroupName: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    limit?: number;
    startFromHead?: boolean;
    nextToken?: string;
  }): { events: LogEvent[]; nextForwardToken: string; nextBackwardToken: string } {
    const stream = this.stream(request.logGroupName, request.logStreamName);
    const limit = pageLimit(request.limit);
    const inRange = timeRange(request.startTime, request.endTime);
    const token = request.nextToken ? parseStreamToken(request.nextToken) : undefined;
    const forward = token ? token.direction === 'f' : request.startFromHead === true;
    const end = stream.storedBytes;
    if (forward) {
      const from = Math.min(token?.offset ?? 0, end);
      const events: LogEvent[] = [];
      let bytes = 0;
      let next = from;
      let first: number | undefined;
      for (const line of readLines(stream.file, from, end)) {
        if (inRange(line.event)) {
          const size = eventBytes(line.event);
          if (events.length >= limit || (events.length > 0 && bytes + size > RESPONSE_LIMIT_BYTES)) break;
          first ??= line.offset;
          events.push(line.event);
          bytes += size;
        }
        next = line.next;
      }
      return { events, nextForwardToken: `f/${next}`, nextBackwardToken: `b/${first ?? from}` };
    }
    // Backwards: the last `limit` events before the offset, kept in a bounded window while the file is read.
    const until = Math.min(token?.offset ?? end, end);
    const window: StoredLine[] = [];
    let bytes = 0;
    for (const line of readLines(stream.file, 0, until)) {
      if (!inRange(line.event)) continue;
      window.push(line);
      bytes += eventBytes(line.event);
      while (window.length > limit || (window.length > 1 && bytes > RESPONSE_LIMIT_BYTES)) {
        bytes -= eventBytes((window.shift() as StoredLine).event);
      }
    }
    const firstLine = window[0];
    const lastLine = window[window.length - 1];
    return {
      events: window.map((l) => l.event),
      nextForwardToken: `f/${lastLine ? lastLine.next : until}`,
      nextBackwardToken: `b/${firstLine ? firstLine.offset : until}`,
    };
  }

  /**
   * FilterLogEvents: the events of a group's streams (all, those named, or those with a name prefix) in the time
   * range that match the filter pattern, interleaved by timestamp across streams. The token holds where each stream
   * was left, so a page never repeats an event; the last page has no token.
   */
  filterLogEvents(request: {
    logGroupName: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    filterPattern?: string;
    limit?: number;
    nextToken?: string;
  }): {
    events: (LogEvent & { logStreamName: string; eventId: string })[];
    searchedLogStreams: { logStreamName: string; searchedCompletely: boolean }[];
    nextToken?: string;
  } {
    const group = this.group(request.logGroupName);
    if (request.logStreamNames && request.logStreamNamePrefix) {
      throw new AwsApiError(
        'InvalidParameterException',
        'logStreamNames and logStreamNamePrefix are mutually exclusive',
      );
    }
    let match: MessageFilter;
    try {
      match = compileFilterPattern(request.filterPattern);
    } catch (error) {
      if (error instanceof FilterPatternError) throw new AwsApiError('InvalidParameterException', error.message);
      throw error;
    }
    const limit = pageLimit(request.limit);
    const inRange = timeRange(request.startTime, request.endTime);
    const cursors = request.nextToken ? parseFilterToken(request.nextToken) : {};
    const streams = [...group.streams.values()]
      .filter((s) => !request.logStreamNames || request.logStreamNames.includes(s.logStreamName))
      .filter((s) => !request.logStreamNamePrefix || s.logStreamName.startsWith(request.logStreamNamePrefix))
      .sort((a, b) => compare(a.logStreamName, b.logStreamName));
    // One reader and one line ahead per stream: memory stays bounded whatever the stream sizes.
    const heads = streams.map((stream) => {
      const lines = readLines(stream.file, cursors[stream.logStreamName] ?? 0, stream.storedBytes);
      return { stream, lines, head: nextMatching(lines, inRange, match), position: stream.storedBytes };
    });
    const events: (LogEvent & { logStreamName: string; eventId: string })[] = [];
    let bytes = 0;
    for (;;) {
      let best: (typeof heads)[number] | undefined;
      for (const h of heads)
        if (h.head && (!best || h.head.event.timestamp < (best.head as StoredLine).event.timestamp)) best = h;
      if (!best?.head) break;
      const line = best.head;
      const size = eventBytes(line.event);
      if (events.length >= limit || (events.length > 0 && bytes + size > RESPONSE_LIMIT_BYTES)) break;
      events.push({
        logStreamName: best.stream.logStreamName,
        eventId: `${best.stream.idPrefix}-${line.offset}`,
        ...line.event,
      });
      bytes += size;
      best.head = nextMatching(best.lines, inRange, match);
    }
    const left: Record<string, number> = {};
    for (const h of heads) {
      left[h.stream.logStreamName] = h.head ? h.head.offset : h.position;
      h.lines.return(undefined);
    }
    const more = heads.some((h) => h.head);
    return {
      events,
      searchedLogStreams: heads.map((h) => ({ logStreamName: h.stream.logStreamName, searchedCompletely: !h.head })),
      ...(more ? { nextToken: Buffer.from(JSON.stringify(left)).toString('base64url') } : {}),
    };
  }

  private newStream(group: GroupState, logStreamName: string, creationTime: number): StreamState {
    return {
      logStreamName,
      creationTime,
      storedBytes: 0,
      file: join(group.dir, `${encodeURIComponent(logStreamName)}.ndjson`),
      idPrefix: BigInt(`0x${createHash('sha256').update(`${group.name}\n${logStreamName}`).digest('hex').slice(0, 15)}`)
        .toString()
        .padStart(19, '0'),
    };
  }

  private group(logGroupName: string): GroupState {
    const group = this.groups.get(logGroupName);
    if (!group) throw new AwsApiError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  private stream(logGroupName: string, logStreamName: string): StreamState {
    const stream = this.group(logGroupName).streams.get(logStreamName);
    if (!stream) throw new AwsApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }
}

function noteEvent(stream: StreamState, event: LogEvent): void {
  if (stream.creationTime === 0) stream.creationTime = event.ingestionTime;
  stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? event.timestamp, event.timestamp);
  stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? event.timestamp, event.timestamp);
  stream.lastIngestionTime = Math.max(stream.lastIngestionTime ?? 0, event.ingestionTime);
}

function nextMatching(
  lines: Generator<StoredLine>,
  inRange: (e: LogEvent) => boolean,
  match: MessageFilter,
): StoredLine | undefined {
  // Not for…of, which would close the reader on the first match.
  for (let next = lines.next(); !next.done; next = lines.next()) {
    if (inRange(next.value.event) && match(next.value.event.message)) return next.value;
  }
  return undefined;
}

/** The lines of a stream file from byte `start` to byte `end` (its size when it was last written to). */
function* readLines(file: string, start: number, end = Number.POSITIVE_INFINITY): Generator<StoredLine> {
  const fd = openSync(file, 'r');
  try {
    let position = start;
    let pending = Buffer.alloc(0);
    let pendingStart = start;
    const chunk = Buffer.alloc(READ_CHUNK_BYTES);
    while (position < end) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, end - position), position);
      if (read === 0) break;
      position += read;
      pending =
        pending.length === 0 ? Buffer.from(chunk.subarray(0, read)) : Buffer.concat([pending, chunk.subarray(0, read)]);
      let newline = pending.indexOf(10);
      while (newline >= 0) {
        const text = pending.subarray(0, newline).toString('utf8');
        const offset = pendingStart;
        pendingStart += newline + 1;
        pending = pending.subarray(newline + 1);
        newline = pending.indexOf(10);
        try {
          yield { event: JSON.parse(text) as LogEvent, offset, next: pendingStart };
        } catch {
          // A line cut short by a crash: skipped, the next one is whole.
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

function timeRange(startTime?: number, endTime?: number): (e: LogEvent) => boolean {
  return (e) =>
    (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime);
}

function pageLimit(limit?: number): number {
  if (limit === undefined) return EVENTS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > EVENTS_LIMIT) {
    throw new AwsApiError('InvalidParameterException', `limit must be between 1 and ${EVENTS_LIMIT}`);
  }
  return limit;
}

function eventBytes(e: LogEvent): number {
  // CloudWatch Logs counts each event's UTF-8 message plus 26 bytes.
  return Buffer.byteLength(e.message) + 26;
}

function parseStreamToken(token: string): { direction: 'f' | 'b'; offset: number } {
  const m = /^([fb])\/(\d+)$/.exec(token);
  if (!m) throw new AwsApiError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { direction: m[1] as 'f' | 'b', offset: Number(m[2]) };
}

function parseFilterToken(token: string): Record<string, number> {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && Object.values(value).every((v) => Number.isInteger(v) && v >= 0)) {
      return value as Record<string, number>;
    }
  } catch {
    // Falls through to the error.
  }
  throw new AwsApiError('InvalidParameterException', 'The specified nextToken is invalid.');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TARGET_PREFIX = 'Logs_20140328.';

/** A group's ARN as DescribeLogGroups gives it: `arn` ends with `:*`, `logGroupArn` does not. */
function logGroupArn(name: string): string {
  return `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${name}`;
}

/**
 * The CloudWatch Logs API over HTTP (AWS JSON 1.1: `POST /` with `X-Amz-Target: Logs_20140328.<Operation>`,
 * timestamps as epoch milliseconds, errors as `{__type, message}`), so that `aws logs describe-log-groups`,
 * `describe-log-streams`, `get-log-events`, `filter-log-events` and `tail` (`--follow` polls FilterLogEvents) work
 * against the local platform, as does `tillflow logs`. It reads a {@link LogStore}; writing is the runtime's, through
 * {@link LogStore.put}.
 */
export function logsApiListener(store: LogStore): RequestListener {
  return jsonProtocolListener({
    version: '1.1',
    targetPrefix: TARGET_PREFIX,
    service: 'logs',
    internalError: 'ServiceUnavailableException',
    dispatch: (operation, body) => dispatch(store, operation, body),
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** `logGroupName`, or `logGroupIdentifier` (a name or an ARN, with or without `:*`). */
function groupOf(body: Record<string, unknown>): string {
  const identifier = str(body.logGroupName) ?? str(body.logGroupIdentifier);
  if (!identifier) throw new AwsApiError('InvalidParameterException', 'logGroupName is required');
  const arn = /^arn:aws:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return arn ? (arn[1] as string) : identifier;
}

/** A page of at most `limit` (default and maximum 50, as AWS) from an offset token. */
function page<T>(items: T[], body: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const limit = num(body.limit) ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw new AwsApiError('InvalidParameterException', 'limit must be between 1 and 50');
  }
  const token = str(body.nextToken);
  const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new AwsApiError('InvalidParameterException', 'The specified nextToken is invalid.');
  }
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return { items: items.slice(offset, offset + limit), ...(next ? { nextToken: next } : {}) };
}

function dispatch(store: LogStore, operation: string, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'DescribeLogGroups': {
      const prefix = str(body.logGroupNamePrefix);
      const pattern = str(body.logGroupNamePattern);
      const groups = store.describeLogGroups({ ...(prefix ? { prefix } : {}), ...(pattern ? { pattern } : {}) });
      const { items, nextToken } = page(groups, body);
      return {
        logGroups: items.map((g) => ({
          ...g,
          metricFilterCount: 0,
          arn: `${logGroupArn(g.logGroupName)}:*`,
          logGroupArn: logGroupArn(g.logGroupName),
          logGroupClass: 'STANDARD',
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    }
    case 'DescribeLogStreams': {
      const group = groupOf(body);
      const orderBy = str(body.orderBy) ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
        throw new AwsApiError('InvalidParameterException', 'orderBy must be LogStreamName or LastEventTime');
      }
      const prefix = str(body.logStreamNamePrefix);
      if (prefix && orderBy === 'LastEventTime') {
        throw new AwsApiError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      const streams = store.describeLogStreams(group, {
        orderBy,
        descending: body.descending === true,
        ...(prefix ? { prefix } : {}),
      });
      const { items, nextToken } = page(streams, body);
      return {
        logStreams: items.map((s) => ({ ...s, arn: `${logGroupArn(group)}:log-stream:${s.logStreamName}` })),
        ...(nextToken ? { nextToken } : {}),
      };
    }
    case 'GetLogEvents': {
      const logStreamName = str(body.logStreamName);
      if (!logStreamName) throw new AwsApiError('InvalidParameterException', 'logStreamName is required');
      return store.getLogEvents({
        logGroupName: groupOf(body),
        logStreamName,
        ...optional(body, ['startTime', 'endTime', 'limit'], num),
        ...(typeof body.startFromHead === 'boolean' ? { startFromHead: body.startFromHead } : {}),
        ...optional(body, ['nextToken'], str),
      });
    }
    case 'FilterLogEvents':
      return store.filterLogEvents({
        logGroupName: groupOf(body),
        ...(Array.isArray(body.logStreamNames) ? { logStreamNames: body.logStreamNames.map(String) } : {}),
        ...optional(body, ['logStreamNamePrefix', 'filterPattern', 'nextToken'], str),
        ...optional(body, ['startTime', 'endTime', 'limit'], num),
      });
    default:
      throw new AwsApiError(
        'UnknownOperationException',
        `the local CloudWatch Logs does not serve ${operation} (it serves DescribeLogGroups, DescribeLogStreams, ` +
          'GetLogEvents and FilterLogEvents)',
      );
  }
}

function optional<T>(
  body: Record<string, unknown>,
  keys: string[],
  read: (v: unknown) => T | undefined,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of keys) {
    const value = read(body[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
