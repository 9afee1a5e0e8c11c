import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LambdaInvocationError } from './errors';

/** Where an environment's output lines go: CloudWatch Logs in AWS, the local Logs server here. */
export interface LogSink {
  put(logGroupName: string, logStreamName: string, events: { timestamp: number; message: string }[]): void;
}

/** How one function runs: what Terraform gives it (memory, timeout, variables) and where its code is. */
export interface FunctionSettings {
  /** The function's folder name: `process-upload`. */
  name: string;
  /** The deployed name: `tillflow-process-upload`. */
  functionName: string;
  functionArn: string;
  /** The ES module to import: the bundle (`dist/index.mjs`), or `src/handler.ts` when run from source. */
  entry: string;
  /** The exported handler, as Lambda's handler setting names it after the file: `handler` of `index.handler`. */
  handlerName: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The whole `process.env` of the environment. */
  environment: Record<string, string>;
  /** False for a folder without a handler (nothing Terraform would deploy): invoking it fails as an import does. */
  deployable: boolean;
  /** Node options of the environment (`--import tsx` to run from source); none for a bundle. */
  execArgv: string[];
}

/** What an invocation ended with: a JSON payload, or the error Lambda reports. */
type Outcome = { ok: true; payload: string } | { ok: false; error: LambdaInvocationError };

type FromWorker =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: ErrorPayload }
  | { type: 'result'; id: string; payload: string }
  | { type: 'error'; id: string; error: ErrorPayload };

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

/**
 * One Lambda execution environment: a worker thread with its own module instance of the function's code and its own
 * `process.env` (exactly the function's variables), running one invocation at a time. Its memory size bounds the
 * worker's JavaScript heap (`resourceLimits`), so an invocation that outgrows it fails as Lambda's out-of-memory does
 * and the environment is discarded; its timeout terminates the worker (`Sandbox.Timedout`). Its output lines, framed
 * by Lambda's START / END / REPORT lines, go to the function's log group in one log stream per environment, as in
 * Lambda.
 *
 * Worker threads rather than child processes: an environment starts in tens of milliseconds and shares the
 * platform's memory for Node itself, while keeping what isolation matters here (module state, env, heap limit,
 * termination). What they do not isolate: the process's current directory, time zone and native memory (wasm memory
 * is outside the heap limit).
 */
export class ExecutionEnvironment {
  readonly id = randomUUID().replaceAll('-', '');
  readonly logStreamName: string;
  private readonly worker: Worker;
  private readonly ready: Promise<number>;
  private current: { id: string; settle: (outcome: Outcome) => void } | undefined;
  private dead: LambdaInvocationError | undefined;
  private invocations = 0;
  /** When the environment last finished an invocation (for reaping idle ones). */
  lastUsed = Date.now();

  constructor(
    readonly settings: FunctionSettings,
    private readonly logs: LogSink,
    private readonly echo?: (line: string) => void,
  ) {
    this.logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${this.id}`;
    this.worker = new Worker(BOOTSTRAP, {
      workerData: {
        entry: settings.entry,
        handlerName: settings.handlerName,
        handlerSetting: `index.${settings.handlerName}`,
      },
      env: { ...settings.environment, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      execArgv: [...settings.execArgv, ...profilerFlags()],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb },
    });
    this.capture(this.worker.stdout);
    this.capture(this.worker.stderr);
    this.ready = new Promise<number>((resolve, reject) => {
      this.worker.once('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve(message.initMs);
        else if (message.type === 'init-error') reject(fromPayload(message.error));
      });
      this.worker.once('error', (error) => reject(this.crashError(error)));
      this.worker.once('exit', (code) => reject(exitError(code)));
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: FromWorker) => {
      if ((message.type === 'result' || message.type === 'error') && message.id === this.current?.id) {
        this.current.settle(
          message.type === 'result'
            ? { ok: true, payload: message.payload }
            : { ok: false, error: fromPayload(message.error) },
        );
      }
    });
    this.worker.on('error', (error) => this.fail(this.crashError(error)));
    this.worker.on('exit', (code) => this.fail(exitError(code)));
  }

  /** False once the environment was discarded (timeout, crash, failed cold start). */
  get usable(): boolean {
    return this.dead === undefined;
  }

  /** True while an invocation runs. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /**
   * Runs one invocation with the event as JSON text; resolves with the result as JSON text or rejects with a
   * {@link LambdaInvocationError}. The deadline starts when the invocation starts, after the cold start, which Lambda
   * bounds separately (its init phase); the init duration shows in the REPORT line.
   */
  async invoke(eventJson: string): Promise<string> {
    if (this.current) throw new Error(`environment ${this.id} is busy: one invocation at a time`);
    if (this.dead) throw this.dead;
    const requestId = randomUUID();
    this.current = { id: requestId, settle: () => undefined };
    this.invocations++;
    try {
      let initMs: number;
      try {
        initMs = await this.ready;
      } catch (error) {
        // A failed cold start: Lambda reports it as the invocation's error and starts afresh next time.
        const failure = error as LambdaInvocationError;
        this.log(`INIT_REPORT Phase: init Status: error Error Type: ${failure.errorType}`);
        this.discard(failure);
        throw failure;
      }
      this.log(`START RequestId: ${requestId} Version: $LATEST`);
      const started = performance.now();
      const outcome = await this.run(requestId, eventJson);
      this.log(`END RequestId: ${requestId}`);
      this.log(this.report(requestId, performance.now() - started, this.invocations === 1 ? initMs : undefined));
      if (!outcome.ok) throw outcome.error;
      return outcome.payload;
    } finally {
      this.current = undefined;
      this.lastUsed = Date.now();
    }
  }

  /** Posts the invocation and waits for its outcome, terminating the worker when the timeout passes first. */
  private run(requestId: string, eventJson: string): Promise<Outcome> {
    const { functionName, functionArn, memoryMb, timeoutSeconds } = this.settings;
    const deadline = Date.now() + timeoutSeconds * 1000;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        const error = new LambdaInvocationError(
          'Sandbox.Timedout',
          `${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
        );
        this.discard(error);
        resolve({ ok: false, error });
      }, timeoutSeconds * 1000);
      this.current = {
        id: requestId,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      this.worker.postMessage({
        type: 'invoke',
        id: requestId,
        event: eventJson,
        deadline,
        context: {
          functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: functionArn,
          memoryLimitInMB: String(memoryMb),
          awsRequestId: requestId,
          logGroupName: logGroupOf(functionName),
          logStreamName: this.logStreamName,
        },
      });
    });
  }

  /**
   * Kills the environment in the middle of what it runs, as a crash or the out-of-memory killer would (fault
   * injection): the invocation fails at once with `Runtime.ExitError`, whatever it had written so far staying written.
   */
  kill(): void {
    const requestId = this.current?.id ?? 'init';
    this.fail(
      new LambdaInvocationError(
        'Runtime.ExitError',
        `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      ),
    );
    void this.worker.terminate();
  }

  /** Ends the environment (the worker is terminated); an invocation still running fails with `reason`. */
  async terminate(reason?: LambdaInvocationError): Promise<void> {
    this.discard(reason ?? new LambdaInvocationError('Runtime.Shutdown', 'the execution environment was shut down'));
    await this.worker.terminate();
  }

  private discard(error: LambdaInvocationError): void {
    if (this.dead) return;
    this.dead = error;
    void this.worker.terminate();
  }

  private fail(error: LambdaInvocationError): void {
    const first = this.dead === undefined;
    this.dead ??= error;
    if (first && this.current) this.current.settle({ ok: false, error });
  }

  private crashError(error: Error & { code?: string }): LambdaInvocationError {
    const requestId = this.current?.id ?? 'init';
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new LambdaInvocationError(
        'Runtime.OutOfMemory',
        `RequestId: ${requestId} Error: Runtime exited with error: signal: killed (the function's ${this.settings.memoryMb} MB were not enough)`,
      );
    }
    return new LambdaInvocationError(
      'Runtime.ExitError',
      `RequestId: ${requestId} Error: Runtime exited with error: ${error.name}: ${error.message}`,
      String(error.stack ?? '').split('\n'),
    );
  }

  private report(requestId: string, durationMs: number, initMs: number | undefined): string {
    const parts = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.ceil(durationMs + (initMs ?? 0))} ms`,
      `Memory Size: ${this.settings.memoryMb} MB`,
    ];
    if (initMs !== undefined) parts.push(`Init Duration: ${initMs.toFixed(2)} ms`);
    return parts.join('\t');
  }

  private capture(stream: Readable): void {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => this.log(line));
  }

  private log(message: string): void {
    this.logs.put(logGroupOf(this.settings.functionName), this.logStreamName, [{ timestamp: Date.now(), message }]);
    this.echo?.(message);
  }
}

/**
 * `TILLFLOW_CPU_PROF_DIR=<folder>` profiles every execution environment (V8's CPU profiler, one `.cpuprofile` per
 * environment in that folder, written when it ends), as `node --cpu-prof` does for the platform's own threads: how
 * docs/performance.md attributes the functions' CPU time. Unset, the environments run without it.
 */
function profilerFlags(): string[] {
  const dir = process.env.TILLFLOW_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** The log group Lambda writes a function's output to: `/aws/lambda/<function name>`, as Terraform declares it. */
export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

function fromPayload(error: ErrorPayload): LambdaInvocationError {
  return new LambdaInvocationError(error.errorType, error.errorMessage, error.trace);
}

function exitError(code: number): LambdaInvocationError {
  return new LambdaInvocationError('Runtime.ExitError', `Error: Runtime exited with error: exit status ${code}`);
}
