/**
 * Runs store files through both workflows on the local platform, from the functions' bundles as `npm start` does,
 * and attributes the time to the steps: the shared part of the month benchmark (platform.ts) and the growth benchmark
 * (growth.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ExecutionRecord,
  type LogSink,
  type Platform,
  type PlatformOptions,
  REPO_ROOT,
  startPlatform,
  storeFiles,
  uploadStoreFiles,
} from '@tillflow/local';

/** Time spent in one step (a Task state) of a workflow, over the executions measured. */
export interface StepTime {
  machine: string;
  state: string;
  /** Task state entered → exited, summed: includes waiting for a free execution environment. */
  stateMs: number;
  /** The function's own Duration (its REPORT lines), summed: the work, without the wait. */
  functionMs: number;
  /** Init Duration of the cold starts, summed. */
  initMs: number;
  invocations: number;
  coldStarts: number;
}

/** CPU time of the platform (its process, the environments' threads included) and of the storage process. */
export interface CpuTime {
  platformMs: number;
  /** The platform's main thread alone (the servers, the Step Functions interpreter, the runtime's bookkeeping). */
  mainThreadMs: number;
  storageMs: number;
}

/** The function REPORT lines of the platform's log groups, as they are written. */
export class ReportCollector implements LogSink {
  readonly reports: { fn: string; at: number; durationMs: number; initMs?: number }[] = [];

  put(logGroupName: string, _stream: string, events: { timestamp: number; message: string }[]): void {
    for (const { message, timestamp } of events) {
      if (!message.startsWith('REPORT ')) continue;
      const duration = /Duration: ([\d.]+) ms/.exec(message);
      const init = /Init Duration: ([\d.]+) ms/.exec(message);
      this.reports.push({
        fn: logGroupName.replace(/^\/aws\/lambda\/tillflow-/, ''),
        at: timestamp,
        durationMs: Number(duration?.[1] ?? 0),
        ...(init ? { initMs: Number(init[1]) } : {}),
      });
    }
  }
}

/** A platform on free ports in `stateDir`, from the bundles, with its REPORT lines collected. */
export async function benchPlatform(
  stateDir: string,
  expectedStores: string[],
  options: Partial<PlatformOptions> = {},
): Promise<{ platform: Platform; reports: ReportCollector }> {
  const reports = new ReportCollector();
  const platform = await startPlatform({
    stateDir,
    ports: { api: 0, s3: 0, dynamodb: 0, sfn: 0, sns: 0, logs: 0 },
    expectedStores,
    schedules: [],
    logs: reports,
    log: (line) => process.stderr.write(`${line}\n`),
    ...options,
  });
  return { platform, reports };
}

/** Uploads the files through the API (8 at a time, as the CLI does) and waits until every workflow has ended. */
export async function uploadAndSettle(platform: Platform, dataDir: string, files: string[]): Promise<void> {
  const results = await uploadStoreFiles(platform.endpoints.api, dataDir, { files });
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new Error(`${failed.length} uploads failed, first: ${failed[0]?.file}: ${failed[0]?.error}`);
  await platform.waitForIdle({ timeoutMs: 30 * 60_000 });
}

/** The store files of a folder, by date then store (as a chain's days arrive). */
export function dataFiles(dataDir: string): string[] {
  return storeFiles(dataDir);
}

/** Throws unless every execution succeeded and each upload and each date ran its workflow. */
export function checkExecutions(executions: ExecutionRecord[], files: string[]): void {
  const failed = executions.filter((e) => e.status !== 'SUCCEEDED');
  if (failed.length > 0) {
    throw new Error(`${failed.length} executions did not succeed, first: ${failed[0]?.name} ${failed[0]?.error ?? ''}`);
  }
  const uploads = executions.filter((e) => e.machine === 'upload-processor').length;
  const dates = new Set(files.map((f) => f.slice(11, 21))).size;
  const days = executions.filter((e) => e.machine === 'daily-analysis').length;
  if (uploads !== files.length || days < dates) {
    throw new Error(`expected ${files.length} uploads and ${dates} analyses, saw ${uploads} and ${days}`);
  }
}

/** Milliseconds from an execution's start to its stop. */
export function executionMs(record: ExecutionRecord): number {
  return Date.parse(record.stopDate ?? record.startDate) - Date.parse(record.startDate);
}

/**
 * Per-step times of the given executions: Task state time from each execution's history (the files the platform
 * writes under `<state>/history/`), function time from the REPORT lines received between the executions' first start
 * and last stop.
 */
export function stepTimes(stateDir: string, executions: ExecutionRecord[], reports?: ReportCollector): StepTime[] {
  const steps = new Map<string, StepTime>();
  const stepOf = (machine: string, state: string): StepTime => {
    const key = `${machine}/${state}`;
    let step = steps.get(key);
    if (!step) {
      step = { machine, state, stateMs: 0, functionMs: 0, initMs: 0, invocations: 0, coldStarts: 0 };
      steps.set(key, step);
    }
    return step;
  };
  const stateOfFunction = functionStates();
  for (const record of executions) {
    const file = join(stateDir, 'history', `tillflow-${record.machine}`, `${record.name}.ndjson`);
    if (!existsSync(file)) continue;
    const entered = new Map<string, number>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line) as Record<string, unknown> & { type: string; timestamp: number };
      if (event.type === 'TaskStateEntered') {
        entered.set((event.stateEnteredEventDetails as { name: string }).name, event.timestamp);
      } else if (event.type === 'TaskStateExited') {
        const name = (event.stateExitedEventDetails as { name: string }).name;
        const start = entered.get(name);
        if (start !== undefined) {
          const step = stepOf(record.machine, name);
          step.stateMs += event.timestamp - start;
          step.invocations++;
        }
      }
    }
  }
  const from = Math.min(...executions.map((e) => Date.parse(e.startDate)));
  const to = Math.max(...executions.map((e) => Date.parse(e.stopDate ?? e.startDate)));
  for (const report of reports?.reports ?? []) {
    if (report.at < from || report.at > to + 1000) continue;
    const state = stateOfFunction.get(report.fn);
    if (!state) continue;
    const step = stepOf(state.machine, state.state);
    step.functionMs += report.durationMs;
    if (report.initMs !== undefined) {
      step.initMs += report.initMs;
      step.coldStarts++;
    }
  }
  return [...steps.values()].sort((a, b) => b.functionMs - a.functionMs);
}

/**
 * The Task state that calls each function, from the state machines' ASL (`${process_upload_arn}` → process-upload).
 * A function called by two states (get-store-summaries: ResolveRevision and GetStoreSummaries; notify-failure) is
 * credited to the one a successful run passes through: the last in the file.
 */
function functionStates(): Map<string, { machine: string; state: string }> {
  const found = new Map<string, { machine: string; state: string }>();
  const dir = join(REPO_ROOT, 'state-machines');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.asl.json'))) {
    const machine = file.slice(0, -'.asl.json'.length);
    type States = Record<string, { Type: string; Resource?: string; Branches?: { States: States }[] }>;
    const walk = (states: States): void => {
      for (const [name, state] of Object.entries(states)) {
        const fn = /^\$\{(.+)_arn\}$/.exec(state.Resource ?? '')?.[1]?.replaceAll('_', '-');
        if (state.Type === 'Task' && fn && !(fn === 'get-store-summaries' && name === 'ResolveRevision')) {
          if (!found.has(fn) || !name.startsWith('Notify')) found.set(fn, { machine, state: name });
        }
        for (const branch of state.Branches ?? []) walk(branch.States);
      }
    };
    walk((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { States: States }).States);
  }
  return found;
}

/** CPU time of this process (all its threads) and of its child processes still running (the storage process). */
export function cpuNow(): CpuTime {
  const { user, system } = process.cpuUsage();
  let storageMs = 0;
  const ticks = 100; // USER_HZ on Linux
  for (const pid of childPids()) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime and stime are the 14th and 15th fields of the whole line: the 12th and 13th after the command name.
      storageMs += ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000;
    } catch {
      // A child that ended meanwhile.
    }
  }
  // Node ≥ 23.9 (the repository runs 24); the typings are Node 20's.
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? { user: 0, system: 0 };
  return { platformMs: (user + system) / 1000, mainThreadMs: (thread.user + thread.system) / 1000, storageMs };
}

/** Peak resident memory in MB of this process and of its running children (VmHWM). */
export function peakRssMb(): { platformMb: number; storageMb: number } {
  let storageMb = 0;
  for (const pid of childPids()) {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      storageMb += Number(hwm?.[1] ?? 0) / 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return { platformMb: process.resourceUsage().maxRSS / 1024, storageMb };
}

function childPids(): number[] {
  if (!existsSync('/proc/self/task')) return [];
  const pids: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return pids;
}
