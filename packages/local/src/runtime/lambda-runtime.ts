import { availableParallelism } from 'node:os';
import { functionArn } from '../resources';
import { SettledSignal } from '../settled';
import { ExecutionEnvironment, type FunctionSettings, type LogSink } from './environment';
import { LambdaInvocationError } from './errors';

/** Lambda's limit on a synchronous invocation's request and response payloads. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** How the runtime runs the functions. */
export interface LambdaRuntimeOptions {
  /** Every function, by folder name (see `resolveFunctions`). */
  functions: ReadonlyMap<string, FunctionSettings>;
  /** Where each environment's output goes (the local CloudWatch Logs). */
  logs: LogSink;
  /**
   * At most this many execution environments per function (default: the machine's cores less one, at least one: the
   * other core serves the platform's own thread and the storage process). Lambda would start one
   * per concurrent invocation; here each environment costs a cold start (its own module instance, JIT and heap) on
   * a machine of few cores, so a burst of uploads is better served by a few warm environments than by many cold
   * ones (measured: the sample week's 77 uploads took 46 s with up to 40 environments, against a few seconds with
   * two per function). An invocation beyond it waits for its function's next free environment (Lambda would
   * throttle it and the workflow's Retry would try again: waiting gives the same end state without the delay).
   * On 2 cores, one environment per function took the month's 330 uploads in 20% less CPU than two (27.3 s against
   * 34.3 s for the platform process, docs/performance.md): fewer cold starts, JIT warm-ups and heaps, and the four
   * steps of an upload still run on both cores, each in its function's environment.
   */
  concurrency?: number;
  /** At most this many environments of all functions together (default 64); the least recently used idle go first. */
  maxEnvironments?: number;
  /** An environment idle this long is ended, as Lambda ends idle ones (default 10 minutes). */
  idleMs?: number;
  /** Also prints every output line (`--verbose`), prefixed with the function's name. */
  echo?: (functionName: string, line: string) => void;
}

/**
 * Runs the functions as Lambda does: each invocation in an execution environment of its function (a worker thread
 * that imported the function's bundle once, see {@link ExecutionEnvironment}), one invocation at a time per
 * environment, more environments for concurrent invocations up to the concurrency limit, warm environments reused,
 * idle ones ended. The event and the result cross as JSON, as they do in Lambda.
 */
export class LambdaRuntime {
  private readonly functions: ReadonlyMap<string, FunctionSettings>;
  private readonly idle = new Map<string, ExecutionEnvironment[]>();
  private readonly all = new Set<ExecutionEnvironment>();
  private waiting: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly maxEnvironments: number;
  private readonly counts = new Map<string, number>();
  private readonly reaper: NodeJS.Timeout;
  private inflightCount = 0;
  private closed = false;
  private readonly settled = new SettledSignal();

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.functions = options.functions;
    this.concurrency = Math.max(1, options.concurrency ?? availableParallelism() - 1);
    this.maxEnvironments = Math.max(1, options.maxEnvironments ?? 64);
    const idleMs = options.idleMs ?? 10 * 60_000;
    this.reaper = setInterval(() => this.reap(idleMs), Math.min(idleMs, 30_000));
    this.reaper.unref();
  }

  /** Every function, by folder name. */
  names(): string[] {
    return [...this.functions.keys()];
  }

  /** True when the function exists and has code to run (a schedule of a folder without a handler is skipped). */
  has(name: string): boolean {
    return this.functions.get(name)?.deployable === true;
  }

  /** The settings a function runs with (its environment variables among them). */
  settingsOf(name: string): FunctionSettings | undefined {
    return this.functions.get(name);
  }

  /** Invocations under way (the gateway's, the scheduler's and the workflows'), waiting ones included. */
  get inflight(): number {
    return this.inflightCount;
  }

  /** Execution environments alive now, busy or idle. */
  get environments(): number {
    return this.all.size;
  }

  /** Resolves the next time an invocation ends. */
  nextSettled(): Promise<void> {
    return this.settled.next();
  }

  /**
   * Invokes a function synchronously (RequestResponse). Resolves with its JSON result (`null` for no result); rejects
   * with a {@link LambdaInvocationError} whose `errorType` is what Step Functions sees as the error.
   */
  async invoke(name: string, event: unknown): Promise<unknown> {
    const settings = this.functions.get(name);
    if (!settings)
      throw new LambdaInvocationError('ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    const eventJson = JSON.stringify(event ?? null);
    if (Buffer.byteLength(eventJson) > PAYLOAD_LIMIT_BYTES) {
      throw new LambdaInvocationError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    this.inflightCount++;
    try {
      const environment = await this.acquire(settings);
      try {
        const payload = await environment.invoke(eventJson);
        if (Buffer.byteLength(payload) > PAYLOAD_LIMIT_BYTES) {
          throw new LambdaInvocationError(
            'Function.ResponseSizeTooLarge',
            `Response payload size exceeded maximum allowed payload size (${PAYLOAD_LIMIT_BYTES} bytes).`,
          );
        }
        return JSON.parse(payload);
      } finally {
        this.release(environment);
      }
    } finally {
      this.inflightCount--;
      this.settled.notify();
    }
  }

  /**
   * Kills the environments of a function that are running an invocation (fault injection, see
   * `servers/fault-proxy.ts`): each invocation fails with `Runtime.ExitError`, as a crashed Lambda's does. Returns how
   * many were killed.
   */
  kill(name: string): number {
    let killed = 0;
    for (const environment of this.all) {
      if (environment.settings.name !== name || !environment.busy) continue;
      environment.kill();
      killed++;
    }
    return killed;
  }

  /** Ends every environment (running invocations fail); the runtime takes no invocation after. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    const environments = [...this.all];
    this.all.clear();
    this.idle.clear();
    this.counts.clear();
    for (const wake of this.waiting) wake();
    this.waiting = [];
    await Promise.all(environments.map((e) => e.terminate()));
  }

  private async acquire(settings: FunctionSettings): Promise<ExecutionEnvironment> {
    for (;;) {
      if (this.closed) throw new LambdaInvocationError('ServiceException', 'the local platform is stopping');
      const warm = this.idle.get(settings.name)?.pop();
      if (warm?.usable) return warm;
      if (warm) {
        this.forget(warm);
        continue;
      }
      if ((this.counts.get(settings.name) ?? 0) < this.concurrency) {
        if (this.all.size >= this.maxEnvironments) this.evictIdle();
        if (this.all.size < this.maxEnvironments) return this.create(settings);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private create(settings: FunctionSettings): ExecutionEnvironment {
    const echo = this.options.echo;
    const environment = new ExecutionEnvironment(
      settings,
      this.options.logs,
      echo ? (line) => echo(settings.name, line) : undefined,
    );
    this.all.add(environment);
    this.counts.set(settings.name, (this.counts.get(settings.name) ?? 0) + 1);
    return environment;
  }

  private release(environment: ExecutionEnvironment): void {
    if (environment.usable && !this.closed) {
      const pool = this.idle.get(environment.settings.name) ?? [];
      pool.push(environment);
      this.idle.set(environment.settings.name, pool);
    } else {
      this.forget(environment);
    }
    // Every waiter tries again: one takes this environment or its slot, the others wait on.
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private forget(environment: ExecutionEnvironment): void {
    if (!this.all.delete(environment)) return;
    const name = environment.settings.name;
    this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
    void environment.terminate();
  }

  /** Ends the least recently used idle environment of any function, to make room for another function's. */
  private evictIdle(): void {
    let oldest: ExecutionEnvironment | undefined;
    for (const pool of this.idle.values()) {
      for (const environment of pool) if (!oldest || environment.lastUsed < oldest.lastUsed) oldest = environment;
    }
    if (!oldest) return;
    const pool = this.idle.get(oldest.settings.name) ?? [];
    pool.splice(pool.indexOf(oldest), 1);
    this.forget(oldest);
  }

  private reap(idleMs: number): void {
    const cutoff = Date.now() - idleMs;
    for (const [name, pool] of this.idle) {
      const keep = pool.filter((environment) => environment.lastUsed >= cutoff);
      for (const environment of pool) if (environment.lastUsed < cutoff) this.forget(environment);
      this.idle.set(name, keep);
    }
  }
}
