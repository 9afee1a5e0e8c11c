import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateMachine as LocalStateMachine, RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import { ACCOUNT_ID, functionArn, functionNameOf, REGION, resourceName, stateMachineArn } from '../resources';
import { LambdaInvocationError } from '../runtime/errors';
import type { LambdaRuntime } from '../runtime/lambda-runtime';
import { SettledSignal } from '../settled';
import { type AslDefinition, type FoundState, fillTemplate, type Json, unsupportedFeatures, walkStates } from './asl';
import { ExecutionHistory, type HistoryEvent, readHistory } from './execution-history';
import { AwsApiError } from './json-protocol';
import { installPromiseWithResolvers } from './polyfills';

/** Step Functions caps the data a state passes on (and an execution's input) at 256 KB. */
const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** An execution's status, as DescribeExecution reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution, with the fields of the Step Functions API's DescribeExecution (input and output as JSON text). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  /** The state machine's file name without `.asl.json`: `upload-processor`. */
  machine: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Task attempts that failed and were retried by a Retry. */
  retries: number;
  /** Errors caught by a Catch. */
  caught: number;
}

/** Where the ASL files are, what fills their placeholders, and what their Tasks reach. */
export interface StepFunctionsOptions {
  /** The folder of `<name>.asl.json` files. */
  machinesDir: string;
  runtime: LambdaRuntime;
  /** Values of the `${…}` placeholders (see {@link templateVariables}). */
  templateVars: Record<string, string>;
  /** Publishes to SNS (the `sns:publish` integration); returns the message id. */
  publish(topicArn: string, message: string, subject?: string): string;
  /** Where `executions.ndjson` lives. */
  stateDir: string;
  /**
   * A file remembering the definitions (by hash) that passed validation, which costs ~1 s per state machine: a
   * definition validated once is not validated again.
   */
  validationCacheFile: string;
  /** Replaces every Retry's backoff by this many milliseconds (tests); AWS's intervals otherwise. */
  retryIntervalMs?: number;
  /** Called when an execution ends, whatever its status. */
  onExecutionEnd?: (record: ExecutionRecord) => void;
}

type TaskHandler = (input: Json) => Promise<Json>;

interface LoadedMachine {
  name: string;
  arn: string;
  machine: LocalStateMachine;
  definition: AslDefinition;
  /** The definition as run: the ASL file with its placeholders filled. */
  text: string;
  /** The ASL file's modification time: when this definition was written. */
  creationDate: string;
}

/** A state machine as DescribeStateMachine describes it (ListStateMachines lists its name, ARN, type and date). */
export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  type: 'STANDARD';
  definition: string;
  roleArn: string;
  creationDate: string;
  /** Nothing delivers execution logs locally: the history is in GetExecutionHistory. */
  loggingConfiguration: { level: 'OFF'; includeExecutionData: false };
  tracingConfiguration: { enabled: false };
}

/** A running execution: how to abort it and where its history goes. */
interface RunningExecution {
  abort(): void;
  history: ExecutionHistory;
}

const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** AWS's rule for execution names: 1–80 characters, no whitespace, brackets, wildcards, specials or controls. */
function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  return ![...name].some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
}

/**
 * The Step Functions of the local platform: the ASL files of `state-machines/`, filled as Terraform fills them and
 * run by aws-local-stepfunctions, with every Task that names one of the project's functions (directly or through
 * `lambda:invoke`) invoking its handler in this process, and `sns:publish` served by the local SNS. Executions are
 * recorded (in memory and in `executions.ndjson`) and named as AWS names them: a name is used once per state machine.
 */
export class StepFunctions {
  private readonly machines = new Map<string, LoadedMachine>();
  private readonly records = new Map<string, ExecutionRecord>();
  /** Executions of earlier runs of the platform, from `executions.ndjson`: their names stay taken. */
  private readonly history = new Map<string, ExecutionRecord>();
  private readonly aborts = new Map<string, RunningExecution>();
  private readonly settled = new SettledSignal();
  /** Executions stopped by StopExecution, with the error and cause it gave, until their run ends. */
  private readonly stopped = new Map<string, { error?: string; cause?: string }>();
  private readonly historyFile: string;
  private accepting = true;

  private constructor(private readonly options: StepFunctionsOptions) {
    this.historyFile = join(options.stateDir, 'executions.ndjson');
    mkdirSync(options.stateDir, { recursive: true });
  }

  /** Loads and validates every state machine (once per process: validation is the slow part). */
  static async create(options: StepFunctionsOptions): Promise<StepFunctions> {
    const sfn = new StepFunctions(options);
    installPromiseWithResolvers();
    const { StateMachine } = await import('aws-local-stepfunctions');
    const cacheFile = options.validationCacheFile;
    const validated = readValidationCache(cacheFile);
    const known = validated.size;
    for (const name of machineNames(options.machinesDir)) {
      const fileName = `${name}.asl.json`;
      const text = fillTemplate(
        readFileSync(join(options.machinesDir, fileName), 'utf8'),
        options.templateVars,
        fileName,
      );
      const definition = JSON.parse(text) as AslDefinition;
      const problems = unsupportedFeatures(definition);
      if (problems.length > 0) {
        throw new Error(`${fileName} uses what the local Step Functions cannot run faithfully: ${problems.join('; ')}`);
      }
      const hash = createHash('sha256').update(text).digest('hex');
      let machine: LocalStateMachine;
      try {
        machine = new StateMachine(definition as unknown as StateMachineDefinition, {
          validationOptions: { noValidate: validated.has(hash) },
        });
      } catch (error) {
        throw new Error(`${fileName} is not a valid state machine: ${(error as Error).message}`);
      }
      validated.add(hash);
      const arn = stateMachineArn(name);
      // Built once here to fail at start on what the runner cannot run; again per execution, observed.
      sfn.overridesFor(name, definition);
      const creationDate = statSync(join(options.machinesDir, fileName)).mtime.toISOString();
      sfn.machines.set(arn, { name, arn, machine, definition, text, creationDate });
    }
    if (validated.size > known) writeValidationCache(cacheFile, validated);
    sfn.loadHistory();
    return sfn;
  }

  /** The loaded state machines by name (`upload-processor`). */
  machineNames(): string[] {
    return [...this.machines.values()].map((m) => m.name);
  }

  /**
   * StartExecution as AWS answers it: a name already used by this state machine returns the same execution when it
   * is still running with the same input, and fails with `ExecutionAlreadyExists` otherwise (AWS keeps names for 90
   * days; locally for as long as `executions.ndjson` is kept). The execution is registered before this returns.
   */
  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: Date;
  } {
    const machine = this.machines.get(request.stateMachineArn ?? '');
    if (!machine)
      throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    if (!this.accepting) throw new AwsApiError('ServiceUnavailable', 'the local platform is stopping');
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) {
      throw new AwsApiError('InvalidName', `Invalid Name: '${name}'`);
    }
    const inputText = request.input ?? '{}';
    if (Buffer.byteLength(inputText) > PAYLOAD_LIMIT_BYTES) {
      throw new AwsApiError('InvalidExecutionInput', `The input is larger than ${PAYLOAD_LIMIT_BYTES} bytes`);
    }
    let input: Json;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new AwsApiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${inputText.slice(0, 100)}'`,
      );
    }
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT_ID}:execution:${resourceName(machine.name)}:${name}`;
    const existing = this.records.get(executionArn) ?? this.history.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: new Date(existing.startDate) };
      }
      throw new AwsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      machine: machine.name,
      name,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      input: inputText,
      retries: 0,
      caught: 0,
    };
    this.records.set(executionArn, record);
    this.append(record);
    this.launch(machine, record, input);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  /** Starts an execution of the named state machine (`upload-processor`) with a JSON value as input. */
  start(machineName: string, input: unknown, name?: string): { executionArn: string; startDate: Date } {
    return this.startExecution({
      stateMachineArn: stateMachineArn(machineName),
      input: JSON.stringify(input),
      ...(name ? { name } : {}),
    });
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const record = this.records.get(executionArn) ?? this.history.get(executionArn);
    if (!record) throw new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return { ...record };
  }

  /** ListExecutions: newest first, paginated with an opaque token. */
  listExecutions(request: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }): {
    executions: ExecutionRecord[];
    nextToken?: string;
  } {
    if (!this.machines.has(request.stateMachineArn ?? '')) {
      throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    }
    const all = [...this.history.values(), ...this.records.values()]
      .filter((r) => r.stateMachineArn === request.stateMachineArn)
      .filter((r) => !request.statusFilter || r.status === request.statusFilter)
      .sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0));
    const { page, nextToken } = paginate(all, request, 100);
    return { executions: page.map((r) => ({ ...r })), ...(nextToken ? { nextToken } : {}) };
  }

  /** Every execution known: those of earlier runs of the platform (from `executions.ndjson`), then this run's. */
  allExecutions(): ExecutionRecord[] {
    return [...this.history.values(), ...this.records.values()].map((r) => ({ ...r }));
  }

  /** The executions started by this process, oldest first. */
  executions(): ExecutionRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  /** Executions still running. */
  get running(): number {
    return this.aborts.size;
  }

  /** Resolves the next time an execution ends. */
  nextSettled(): Promise<void> {
    return this.settled.next();
  }

  /** Refuses new executions and aborts those still running (marked ABORTED). */
  abortAll(): void {
    this.accepting = false;
    for (const running of [...this.aborts.values()]) {
      running.history.aborting({ cause: PLATFORM_STOPPED });
      running.abort();
    }
  }

  /** ListStateMachines: every loaded state machine, by name, paginated with an opaque token. */
  listStateMachines(request: { maxResults?: number; nextToken?: string } = {}): {
    stateMachines: StateMachineDescription[];
    nextToken?: string;
  } {
    const all = [...this.machines.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((m) => this.description(m));
    const { page, nextToken } = paginate(all, request, 100);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** DescribeStateMachine: the definition as run (placeholders filled), role, status and configuration. */
  describeStateMachine(arn: string): StateMachineDescription {
    const machine = this.machines.get(arn);
    if (!machine) throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return this.description(machine);
  }

  /** DescribeStateMachineForExecution: the state machine an execution ran (one version locally: the loaded one). */
  describeStateMachineForExecution(executionArn: string): StateMachineDescription {
    const record = this.describeExecution(executionArn);
    const machine = this.machines.get(record.stateMachineArn);
    if (!machine) {
      throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${record.stateMachineArn}'`);
    }
    return this.description(machine);
  }

  /**
   * GetExecutionHistory: the events recorded as the execution ran (see {@link ExecutionHistory}), oldest first or
   * newest first, paginated with an opaque token (AWS's default page is 100 events, at most 1000). An execution of
   * an earlier run of the platform has its history from the state folder; one started before histories were kept
   * has none.
   */
  getExecutionHistory(request: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }): { events: HistoryEvent[]; nextToken?: string } {
    const record = this.describeExecution(request.executionArn);
    let events = readHistory(this.historyFileOf(record));
    if (request.reverseOrder) events.reverse();
    if (request.includeExecutionData === false) events = events.map(withoutExecutionData);
    const { page, nextToken } = paginate(events, request, 100);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * StopExecution: a running execution becomes ABORTED at once with the given error and cause (AWS's fields, both
   * optional). A Task that is running goes on to its end, as a Lambda function does in AWS, and its result is
   * ignored. Stopping an execution that has already ended changes nothing and answers with its stop date.
   */
  stopExecution(request: { executionArn: string; error?: string; cause?: string }): { stopDate: Date } {
    const record = this.records.get(request.executionArn) ?? this.history.get(request.executionArn);
    if (!record) {
      throw new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
    }
    const running = this.aborts.get(request.executionArn);
    if (record.status !== 'RUNNING' || !running) return { stopDate: new Date(record.stopDate ?? record.startDate) };
    const details = {
      ...(request.error !== undefined ? { error: request.error } : {}),
      ...(request.cause !== undefined ? { cause: request.cause } : {}),
    };
    this.stopped.set(record.executionArn, details);
    running.history.aborting(details);
    Object.assign(record, { status: 'ABORTED', stopDate: new Date().toISOString() }, details);
    this.append(record);
    running.abort();
    return { stopDate: new Date(record.stopDate as string) };
  }

  private description(m: LoadedMachine): StateMachineDescription {
    return {
      stateMachineArn: m.arn,
      name: resourceName(m.name),
      status: 'ACTIVE',
      type: 'STANDARD',
      definition: m.text,
      roleArn: roleArn(m.name),
      creationDate: m.creationDate,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  /** `<state>/history/tillflow-<machine>/<execution name>.ndjson`. */
  private historyFileOf(record: Pick<ExecutionRecord, 'machine' | 'name'>): string {
    return join(
      this.options.stateDir,
      'history',
      resourceName(record.machine),
      `${encodeURIComponent(record.name)}.ndjson`,
    );
  }

  private launch(machine: LoadedMachine, record: ExecutionRecord, input: Json): void {
    const history = new ExecutionHistory(this.historyFileOf(record), roleArn(machine.name));
    const run = machine.machine.run(input as never, {
      overrides: this.overridesFor(machine.name, machine.definition, history),
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: roleArn(machine.name),
          StartTime: record.startDate,
        },
        StateMachine: { Id: machine.arn, Name: resourceName(machine.name) },
      },
    });
    this.aborts.set(record.executionArn, { abort: run.abort, history });
    // The event log closes with the execution; counted and recorded before the record is final (bounded, should it
    // not close).
    const counted = (async () => {
      for await (const event of run.eventLogs) {
        history.observe(event);
        if (event.type === 'StateRetried') record.retries++;
        else if (event.type === 'StateCaught') record.caught++;
      }
    })().catch(() => undefined);
    const logged = async (): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([counted, new Promise((r) => (timer = setTimeout(r, 200)))]);
      clearTimeout(timer);
    };
    run.result.then(
      async (output) => {
        await logged();
        this.finish(record, { status: 'SUCCEEDED', output: JSON.stringify(output) });
      },
      async (error: Error) => {
        await logged();
        this.finish(record, failureOf(error));
      },
    );
  }

  private finish(record: ExecutionRecord, end: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>): void {
    this.aborts.delete(record.executionArn);
    // A stopped execution was recorded ABORTED by StopExecution; what its run did after is ignored.
    if (!this.stopped.delete(record.executionArn)) {
      Object.assign(record, end, { stopDate: new Date().toISOString() });
      this.append(record);
    }
    try {
      this.options.onExecutionEnd?.({ ...record });
    } finally {
      this.settled.notify();
    }
  }

  private append(record: ExecutionRecord): void {
    appendFileSync(this.historyFile, `${JSON.stringify(record)}\n`);
  }

  private loadHistory(): void {
    if (!existsSync(this.historyFile)) return;
    for (const line of readFileSync(this.historyFile, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as ExecutionRecord;
        this.history.set(record.executionArn, record);
      } catch {
        // A line cut short by a crash: the execution's earlier line still names it.
      }
    }
    for (const record of this.history.values()) {
      if (record.status === 'RUNNING') {
        Object.assign(record, { status: 'ABORTED', cause: PLATFORM_STOPPED });
      }
    }
  }

  /** The Task handlers of a state machine; with a history, each call is recorded in it. */
  private overridesFor(
    machineName: string,
    definition: AslDefinition,
    history?: ExecutionHistory,
  ): NonNullable<RunOptions['overrides']> {
    const handlers: Record<string, TaskHandler> = {};
    const resources = new Map<string, string>();
    const retryIntervals: Record<string, number> = {};
    for (const found of walkStates(definition)) {
      if (found.state.Retry && this.options.retryIntervalMs !== undefined) {
        retryIntervals[found.name] = this.options.retryIntervalMs;
      }
      if (found.state.Type !== 'Task') continue;
      const resource = found.state.Resource ?? '';
      // aws-local-stepfunctions overrides Tasks by state name alone, nested machines included.
      const seen = resources.get(found.name);
      if (seen !== undefined && seen !== resource) {
        throw new Error(
          `${machineName}.asl.json: two Task states are named "${found.name}" with different resources; the local runner needs unique Task names`,
        );
      }
      resources.set(found.name, resource);
      const handler = this.withPayloadLimit(found, this.taskHandler(machineName, found));
      handlers[found.name] = history ? observed(history, found, handler) : handler;
    }
    return {
      taskResourceLocalHandlers: handlers as never,
      ...(this.options.retryIntervalMs !== undefined ? { retryIntervalOverrides: retryIntervals } : {}),
    };
  }

  private taskHandler(machineName: string, { name, state, path }: FoundState): TaskHandler {
    const resource = state.Resource ?? '';
    const { runtime, publish } = this.options;
    const directFunction = resource.startsWith('arn:aws:lambda:') ? functionNameOf(resource) : undefined;
    if (directFunction) return (input) => invokeFunction(runtime, directFunction, input);
    switch (resource) {
      case 'arn:aws:states:::lambda:invoke':
        return async (input) => {
          const params = asObject(input);
          const fn = functionNameOf(String(params.FunctionName ?? ''));
          if (!fn) {
            throw stateError('Lambda.ResourceNotFoundException', `Function not found: ${String(params.FunctionName)}`);
          }
          const payload = await invokeFunction(runtime, fn, params.Payload ?? null);
          return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
        };
      case 'arn:aws:states:::sns:publish':
        return async (input) => {
          const params = asObject(input);
          const message = typeof params.Message === 'string' ? params.Message : JSON.stringify(params.Message);
          try {
            const id = publish(
              String(params.TopicArn ?? ''),
              message,
              typeof params.Subject === 'string' ? params.Subject : undefined,
            );
            return { MessageId: id };
          } catch (error) {
            throw stateError(`SNS.${exceptionName(error)}`, (error as Error).message);
          }
        };
      default:
        throw new Error(
          `${machineName}.asl.json, state ${path}: the local runner cannot run the resource "${resource}" (it runs ` +
            `this project's Lambda functions, lambda:invoke and sns:publish; ${name} must use one of them)`,
        );
    }
  }

  private withPayloadLimit(found: FoundState, handler: TaskHandler): TaskHandler {
    return async (input) => {
      const result = await handler(input);
      const size = Buffer.byteLength(JSON.stringify(result) ?? 'null');
      if (size > PAYLOAD_LIMIT_BYTES) {
        throw stateError(
          'States.DataLimitExceeded',
          `The state/task '${found.name}' returned a result with a size exceeding the maximum number of bytes service limit (${size} > ${PAYLOAD_LIMIT_BYTES}).`,
        );
      }
      return result;
    };
  }
}

/**
 * The `${…}` variables the ASL files may use, as Terraform passes them to templatefile(): `<function>_arn` for every
 * function folder (`process_upload_arn`), `<machine>_state_machine_arn` for every ASL file, and the topics, bucket and
 * tables.
 */
export function templateVariables(input: {
  functionNames: string[];
  machineNames: string[];
  alertsTopicArn: string;
  reportTopicArn: string;
  jobsTopicArn: string;
  bucketName: string;
  salesTable: string;
  idempotencyTable: string;
}): Record<string, string> {
  const vars: Record<string, string> = {
    alerts_topic_arn: input.alertsTopicArn,
    report_topic_arn: input.reportTopicArn,
    jobs_topic_arn: input.jobsTopicArn,
    bucket_name: input.bucketName,
    sales_table: input.salesTable,
    sales_table_name: input.salesTable,
    idempotency_table: input.idempotencyTable,
    idempotency_table_name: input.idempotencyTable,
    aws_region: REGION,
    account_id: ACCOUNT_ID,
  };
  for (const fn of input.functionNames) {
    vars[`${fn.replaceAll('-', '_')}_arn`] = functionArn(fn);
  }
  for (const machine of input.machineNames) {
    vars[`${machine.replaceAll('-', '_')}_state_machine_arn`] = stateMachineArn(machine);
  }
  return vars;
}

/** The `<name>` of every `<name>.asl.json` in the folder. */
export function machineNames(machinesDir: string): string[] {
  if (!existsSync(machinesDir)) return [];
  return readdirSync(machinesDir)
    .filter((f) => f.endsWith('.asl.json'))
    .map((f) => f.slice(0, -'.asl.json'.length))
    .sort();
}

function readValidationCache(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  try {
    return new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
  } catch {
    return new Set();
  }
}

/** Written aside then renamed: processes starting together (test files) never read half a file. */
function writeValidationCache(file: string, hashes: Set<string>): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify([...hashes].slice(-500)));
  renameSync(temp, file);
}

/** The workflow's role, named as infrastructure/workflows.tf names it (`tillflow-sfn-<workflow>`). */
function roleArn(machineName: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/${resourceName(`sfn-${machineName}`)}`;
}

const PLATFORM_STOPPED = 'the local platform stopped while the execution ran';

/** A Task handler whose calls are recorded in the execution's history. */
function observed(history: ExecutionHistory, found: FoundState, handler: TaskHandler): TaskHandler {
  const timeout = typeof found.state.TimeoutSeconds === 'number' ? found.state.TimeoutSeconds : undefined;
  return async (input) => {
    const call = history.taskCall(found.name, found.state.Resource ?? '', input, timeout);
    try {
      const output = await handler(input);
      call.succeeded(output);
      return output;
    } catch (error) {
      call.failed(error);
      throw error;
    }
  };
}

/** A page of `items` from an offset token (base64url of the offset), `maxResults` capped at 1000. */
function paginate<T>(
  items: T[],
  request: { maxResults?: number; nextToken?: string },
  defaultSize: number,
): { page: T[]; nextToken?: string } {
  const offset = request.nextToken ? Number(Buffer.from(request.nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new AwsApiError('InvalidToken', 'Invalid Token');
  const size = request.maxResults && request.maxResults > 0 ? Math.min(request.maxResults, 1000) : defaultSize;
  const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
  return { page: items.slice(offset, offset + size), ...(next ? { nextToken: next } : {}) };
}

/** An event without its input, output or parameters (GetExecutionHistory's `includeExecutionData: false`). */
function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') continue;
    const { input: _i, output: _o, parameters: _p, ...rest } = value as Record<string, unknown>;
    copy[key] = rest;
  }
  return copy;
}

/** Invokes a function for a Task; a failure becomes the state error Lambda gives Step Functions. */
async function invokeFunction(runtime: LambdaRuntime, fn: string, input: Json): Promise<Json> {
  try {
    return (await runtime.invoke(fn, input)) as Json;
  } catch (error) {
    if (error instanceof LambdaInvocationError) {
      // AWS puts the function's error payload, as JSON, in the Cause; the Error is the error's name.
      throw stateError(error.errorType, JSON.stringify(error.toPayload()));
    }
    throw error;
  }
}

function exceptionName(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

function stateError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

function asObject(value: Json): Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Classifies the interpreter's rejection into the execution's end as DescribeExecution reports it. */
function failureOf(error: Error): Pick<ExecutionRecord, 'status' | 'error' | 'cause'> {
  if (error.name === 'ExecutionTimeoutError') {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
  }
  if (error.name === 'ExecutionAbortedError') {
    return { status: 'ABORTED', cause: PLATFORM_STOPPED };
  }
  // ExecutionError wraps the state error: its name is the Error, its message the Cause.
  const inner = error.cause instanceof Error ? error.cause : error;
  return { status: 'FAILED', error: inner.name, cause: inner.message };
}
