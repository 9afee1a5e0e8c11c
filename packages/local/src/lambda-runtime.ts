import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionArn, resourceName } from './resources';
import { SettledSignal } from './settled';

/**
 * How long a function may run when its timeout is not configured, in seconds. Generous: Terraform sets each
 * function's own, and a Task's TimeoutSeconds in the ASL still applies.
 */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 300;

/**
 * A function invocation that failed, described the way the Lambda Node.js runtime describes it: `errorType` is the
 * thrown error's `name` (what a Step Functions Retry or Catch matches), `errorMessage` its message.
 */
export class LambdaInvocationError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(errorType: string, errorMessage: string, trace: string[] = [], options?: { cause?: unknown }) {
    super(errorMessage, options);
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.trace = trace;
  }

  /** The error payload Lambda returns for a failed invocation; Step Functions puts it in a Catch's `Cause`. */
  toPayload(): { errorType: string; errorMessage: string; trace: string[] } {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

type Handler = (event: unknown, context: Context) => unknown;

/** Where the functions are and how they are configured. */
export interface LambdaRuntimeOptions {
  /** The folder holding one folder per function, each with `src/handler.ts` exporting `handler`. */
  functionsDir: string;
  /** Per-function timeouts in seconds (default 300). */
  timeoutsSeconds?: Record<string, number>;
}

/**
 * Runs the functions' real handlers in this process, as Lambda would: the module is imported on the first invocation
 * (its cold start, so the environment must be set before), the event and the result go through JSON as Lambda
 * serialises them, the handler gets a Lambda `Context`, and a handler running past its timeout fails with Lambda's
 * `Sandbox.Timedout`. Unlike Lambda, the timed-out handler cannot be killed and runs on in the background.
 */
export class LambdaRuntime {
  private readonly functionsDir: string;
  private readonly modules = new Map<string, Promise<Handler>>();
  private readonly timeouts: Record<string, number>;
  private inflightCount = 0;
  private readonly settled = new SettledSignal();

  constructor(options: LambdaRuntimeOptions) {
    this.functionsDir = options.functionsDir;
    this.timeouts = options.timeoutsSeconds ?? {};
  }

  /** Every function folder, deployable or not (each gets an ARN, as Terraform's map of functions gives it). */
  names(): string[] {
    if (!existsSync(this.functionsDir)) return [];
    return readdirSync(this.functionsDir)
      .filter((name) => statSync(join(this.functionsDir, name)).isDirectory())
      .sort();
  }

  /** True when the function has a handler to run. */
  has(name: string): boolean {
    return existsSync(this.handlerFile(name));
  }

  /** Invocations under way (the gateway's, the scheduler's and the workflows'). */
  get inflight(): number {
    return this.inflightCount;
  }

  /** Resolves the next time an invocation ends. */
  nextSettled(): Promise<void> {
    return this.settled.next();
  }

  /**
   * Invokes a function synchronously (RequestResponse). Resolves with its JSON result (`null` for no result);
   * rejects with a {@link LambdaInvocationError}.
   */
  async invoke(name: string, event: unknown): Promise<unknown> {
    this.inflightCount++;
    try {
      return await this.run(name, event);
    } finally {
      this.inflightCount--;
      this.settled.notify();
    }
  }

  private async run(name: string, event: unknown): Promise<unknown> {
    const handler = await this.load(name);
    const timeoutMs = (this.timeouts[name] ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS) * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = this.context(name, deadline);
    // Lambda hands the handler a fresh parse of the JSON it received, never the caller's objects.
    const payload = event === undefined ? null : JSON.parse(JSON.stringify(event));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LambdaInvocationError(
              'Sandbox.Timedout',
              `${context.awsRequestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => handler(payload, context)), timedOut]);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      throw toInvocationError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private handlerFile(name: string): string {
    return join(this.functionsDir, name, 'src', 'handler.ts');
  }

  private load(name: string): Promise<Handler> {
    let loading = this.modules.get(name);
    if (!loading) {
      loading = this.importHandler(name);
      this.modules.set(name, loading);
    }
    return loading;
  }

  private async importHandler(name: string): Promise<Handler> {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !this.names().includes(name)) {
      throw new LambdaInvocationError('ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    }
    const file = this.handlerFile(name);
    if (!existsSync(file)) {
      throw new LambdaInvocationError('Runtime.ImportModuleError', `Error: Cannot find module '${file}'`);
    }
    let mod: { handler?: unknown };
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (error) {
      // An error thrown at import is a failed cold start (a missing variable, for one): it keeps its name.
      throw toInvocationError(error);
    }
    if (typeof mod.handler !== 'function') {
      throw new LambdaInvocationError(
        'Runtime.HandlerNotFound',
        `${name}/src/handler.handler is undefined or not exported`,
      );
    }
    return mod.handler as Handler;
  }

  private context(name: string, deadline: number): Context {
    const functionName = resourceName(name);
    const awsRequestId = randomUUID();
    const deprecated = (): never => {
      throw new Error('the callback-style context methods are not supported; return or throw from an async handler');
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn(name),
      // Reported only: nothing enforces it locally.
      memoryLimitInMB: '1024',
      awsRequestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: deprecated,
      fail: deprecated,
      succeed: deprecated,
    };
  }
}

function toInvocationError(error: unknown): LambdaInvocationError {
  if (error instanceof LambdaInvocationError) return error;
  if (error instanceof Error) {
    const trace = (error.stack ?? '').split('\n');
    return new LambdaInvocationError(error.name || 'Error', error.message, trace, { cause: error });
  }
  return new LambdaInvocationError('Error', String(error));
}
