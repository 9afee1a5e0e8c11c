import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateMachine } from 'aws-local-stepfunctions';
import { REGION } from '../resources';

/**
 * One event of an execution's history, as GetExecutionHistory returns it (`timestamp` in epoch milliseconds here;
 * the API answers in seconds): a `type` such as `TaskStateEntered` and the `<type>EventDetails` object AWS gives it.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** An event of aws-local-stepfunctions' log (its type is not exported by name). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** How a Task's work shows in the history: the legacy Lambda events for a function ARN, Task events otherwise. */
type TaskKind = { kind: 'lambda'; resource: string } | { kind: 'task'; resourceType: string; resource: string };

/**
 * The AWS event family of a Task `Resource`: a Lambda function ARN gives `LambdaFunctionScheduled/Started/Succeeded`,
 * a service integration `arn:aws:states:::lambda:invoke` gives `TaskScheduled` with `resourceType: 'lambda'` and
 * `resource: 'invoke'` (an integration pattern suffix such as `.sync` stays in `resource`, as AWS shows it).
 */
function taskKind(resource: string): TaskKind {
  const integration = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource);
  if (integration) return { kind: 'task', resourceType: integration[1]!, resource: integration[2]! };
  return { kind: 'lambda', resource };
}

/** One invocation of a Task's resource, recorded as it runs and written when its state fails or exits. */
export interface TaskCall {
  succeeded(output: unknown): void;
  failed(error: unknown): void;
}

interface PendingCall {
  kind: TaskKind;
  timeoutInSeconds?: number;
  parameters: string;
  startedAt: number;
  end?: { at: number; output: string } | { at: number; error: string; cause: string };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));
const notTruncated = { truncated: false };

/**
 * The history of one execution, as the Step Functions console and `aws stepfunctions get-execution-history` show it,
 * built from aws-local-stepfunctions' event log (state entered, exited, failed; execution started and ended) and
 * from the Task calls the local runner makes (which that log does not report), and appended to a file per execution
 * so that the history of an earlier run of the platform can still be read. Events arriving after the execution
 * ended (a stopped execution's Task finishing) are dropped, as AWS drops that Task's result.
 */
export class ExecutionHistory {
  private nextId = 1;
  private readonly lastIdOfState = new Map<string, number>();
  private readonly calls = new Map<string, PendingCall[]>();
  private ended = false;
  private abortDetails: { error?: string; cause?: string } = {};

  constructor(
    private readonly file: string,
    private readonly roleArn: string,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Records that a Task state calls its resource with `parameters`; the answer ends the call. */
  taskCall(stateName: string, resource: string, parameters: unknown, timeoutInSeconds?: number): TaskCall {
    if (this.ended) return { succeeded: () => undefined, failed: () => undefined };
    const call: PendingCall = {
      kind: taskKind(resource),
      parameters: text(parameters),
      startedAt: Date.now(),
      ...(timeoutInSeconds !== undefined ? { timeoutInSeconds } : {}),
    };
    const queue = this.calls.get(stateName) ?? [];
    queue.push(call);
    this.calls.set(stateName, queue);
    return {
      succeeded: (output) => {
        call.end ??= { at: Date.now(), output: text(output) };
      },
      failed: (error) => {
        const e = error instanceof Error ? error : new Error(String(error));
        call.end ??= { at: Date.now(), error: e.name, cause: e.message };
      },
    };
  }

  /** The error and cause StopExecution gave, for the ExecutionAborted event the interpreter reports next. */
  aborting(details: { error?: string; cause?: string }): void {
    this.abortDetails = details;
  }

  /** Maps one event of the interpreter's log to the AWS events it stands for. */
  observe(event: EventLog): void {
    if (this.ended) return;
    const at = event.timestamp;
    switch (event.type) {
      case 'ExecutionStarted':
        this.add(at, 'ExecutionStarted', {
          executionStartedEventDetails: { input: text(event.input), inputDetails: notTruncated, roleArn: this.roleArn },
        });
        return;
      case 'ExecutionSucceeded':
        this.end(at, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: text(event.output), outputDetails: notTruncated },
        });
        return;
      case 'ExecutionFailed':
        this.end(at, 'ExecutionFailed', {
          executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
        });
        return;
      case 'ExecutionAborted':
        this.end(at, 'ExecutionAborted', { executionAbortedEventDetails: this.abortDetails });
        return;
      case 'ExecutionTimeout':
        this.end(at, 'ExecutionTimedOut', {
          executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'The execution timed out' },
        });
        return;
      case 'StateEntered': {
        const { name, type, input } = event.state;
        const details = { stateEnteredEventDetails: { name, input: text(input), inputDetails: notTruncated } };
        // An entry follows the event before it (the previous state's exit), whatever this state did on an earlier visit.
        this.lastIdOfState.set(name, this.add(at, `${type}StateEntered`, details));
        if (type === 'Parallel' || type === 'Map') this.addForState(name, at, `${type}StateStarted`, {});
        return;
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (type === 'Task') this.flushCall(name);
        if (type === 'Parallel' || type === 'Map') this.addForState(name, at, `${type}StateSucceeded`, {});
        this.addForState(name, at, `${type}StateExited`, {
          stateExitedEventDetails: { name, output: text(output), outputDetails: notTruncated },
        });
        return;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        if (type === 'Task') this.flushCall(name, { at, error: event.Error, cause: text(event.Cause) });
        if (type === 'Parallel' || type === 'Map') this.addForState(name, at, `${type}StateFailed`, {});
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.addForState(event.parentState.name, at, event.type, {
          [key]: { name: event.parentState.name, index: event.index },
        });
        return;
      }
      default:
        // StateRetried and StateCaught show in AWS only as the next Task call or state; Parallel branches have no
        // events of their own.
        return;
    }
  }

  /**
   * Writes a pending call of a Task state: scheduled, started and how it ended. The state's exit follows its call's
   * end, so the call is the one that ended first (Map iterations run in environments of their own and finish in any
   * order), else the oldest.
   */
  private flushCall(stateName: string, failure?: { at: number; error: string; cause: string }): void {
    const queue = this.calls.get(stateName);
    if (!queue || queue.length === 0) return;
    let pick = -1;
    queue.forEach((c, i) => {
      if (c.end && (pick < 0 || c.end.at < (queue[pick]?.end?.at ?? Number.POSITIVE_INFINITY))) pick = i;
    });
    const [call] = queue.splice(pick < 0 ? 0 : pick, 1);
    if (!call) return;
    const end = call.end ?? failure ?? { at: Date.now(), error: 'States.Runtime', cause: 'the Task ended unseen' };
    const timedOut = 'error' in end && end.error === 'States.Timeout';
    if (call.kind.kind === 'lambda') {
      const resource = call.kind.resource;
      this.addForState(stateName, call.startedAt, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource,
          input: call.parameters,
          inputDetails: notTruncated,
          ...(call.timeoutInSeconds !== undefined ? { timeoutInSeconds: call.timeoutInSeconds } : {}),
        },
      });
      this.addForState(stateName, call.startedAt, 'LambdaFunctionStarted', {});
      if ('output' in end) {
        this.addForState(stateName, end.at, 'LambdaFunctionSucceeded', {
          lambdaFunctionSucceededEventDetails: { output: end.output, outputDetails: notTruncated },
        });
      } else {
        const type = timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed';
        this.addForState(stateName, end.at, type, {
          [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: {
            error: end.error,
            cause: end.cause,
          },
        });
      }
      return;
    }
    const { resourceType, resource } = call.kind;
    this.addForState(stateName, call.startedAt, 'TaskScheduled', {
      taskScheduledEventDetails: {
        resourceType,
        resource,
        region: REGION,
        parameters: call.parameters,
        ...(call.timeoutInSeconds !== undefined ? { timeoutInSeconds: call.timeoutInSeconds } : {}),
      },
    });
    this.addForState(stateName, call.startedAt, 'TaskStarted', { taskStartedEventDetails: { resourceType, resource } });
    if ('output' in end) {
      this.addForState(stateName, end.at, 'TaskSucceeded', {
        taskSucceededEventDetails: { resourceType, resource, output: end.output, outputDetails: notTruncated },
      });
    } else {
      this.addForState(stateName, end.at, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: {
          resourceType,
          resource,
          error: end.error,
          cause: end.cause,
        },
      });
    }
  }

  private end(at: number, type: string, details: Record<string, unknown>): void {
    this.add(at, type, details);
    this.ended = true;
    this.calls.clear();
  }

  /** An event that follows the last one of its state (its Task call, its entry), or the last event when none. */
  private addForState(stateName: string, at: number, type: string, details: Record<string, unknown>): void {
    const id = this.add(at, type, details, this.lastIdOfState.get(stateName));
    this.lastIdOfState.set(stateName, id);
  }

  private add(at: number, type: string, details: Record<string, unknown>, previous?: number): number {
    const id = this.nextId++;
    const event: HistoryEvent = { id, previousEventId: previous ?? id - 1, timestamp: at, type, ...details };
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    return id;
  }
}

/** The events written to an execution's history file, oldest first (none when it has no file). */
export function readHistory(file: string): HistoryEvent[] {
  if (!existsSync(file)) return [];
  const events: HistoryEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch {
      // A line cut short by a crash ends the history there.
      break;
    }
  }
  return events;
}
