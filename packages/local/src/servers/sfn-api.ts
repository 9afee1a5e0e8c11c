import type { RequestListener } from 'node:http';
import type { HistoryEvent } from './execution-history';
import { AwsApiError, jsonProtocolListener } from './json-protocol';
import type { ExecutionRecord, StateMachineDescription, StepFunctions } from './step-functions';

/**
 * The Step Functions API over HTTP, as @aws-sdk/client-sfn speaks it (the AWS JSON 1.0 protocol: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, timestamps as epoch seconds, errors as `{__type, message}`), so that a
 * handler's SFNClient, and an operator's `aws stepfunctions`, reach the local executions. Serves StartExecution,
 * DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory, ListStateMachines, DescribeStateMachine and
 * DescribeStateMachineForExecution.
 */
export function sfnApiListener(sfn: StepFunctions): RequestListener {
  return jsonProtocolListener({
    version: '1.0',
    targetPrefix: 'AWSStepFunctions.',
    service: 'states',
    internalError: 'InternalFailure',
    dispatch: (operation, body) => dispatch(sfn, operation, body),
  });
}

function dispatch(sfn: StepFunctions, operation: string, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'StartExecution': {
      const started = sfn.startExecution({
        ...(typeof body.stateMachineArn === 'string' ? { stateMachineArn: body.stateMachineArn } : {}),
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
        ...(typeof body.input === 'string' ? { input: body.input } : {}),
      });
      return { executionArn: started.executionArn, startDate: started.startDate.getTime() / 1000 };
    }
    case 'DescribeExecution':
      return describe(sfn.describeExecution(String(body.executionArn ?? '')));
    case 'ListExecutions': {
      const page = sfn.listExecutions({
        ...(typeof body.stateMachineArn === 'string' ? { stateMachineArn: body.stateMachineArn } : {}),
        ...(typeof body.statusFilter === 'string' ? { statusFilter: body.statusFilter } : {}),
        ...(typeof body.maxResults === 'number' ? { maxResults: body.maxResults } : {}),
        ...(typeof body.nextToken === 'string' ? { nextToken: body.nextToken } : {}),
      });
      return {
        executions: page.executions.map(listed),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }
    case 'StopExecution': {
      const stopped = sfn.stopExecution({
        executionArn: String(body.executionArn ?? ''),
        ...(typeof body.error === 'string' ? { error: body.error } : {}),
        ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
      });
      return { stopDate: stopped.stopDate.getTime() / 1000 };
    }
    case 'GetExecutionHistory': {
      const page = sfn.getExecutionHistory({
        executionArn: String(body.executionArn ?? ''),
        ...(typeof body.maxResults === 'number' ? { maxResults: body.maxResults } : {}),
        ...(typeof body.nextToken === 'string' ? { nextToken: body.nextToken } : {}),
        ...(typeof body.reverseOrder === 'boolean' ? { reverseOrder: body.reverseOrder } : {}),
        ...(typeof body.includeExecutionData === 'boolean' ? { includeExecutionData: body.includeExecutionData } : {}),
      });
      return { events: page.events.map(historyEvent), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    }
    case 'ListStateMachines': {
      const page = sfn.listStateMachines({
        ...(typeof body.maxResults === 'number' ? { maxResults: body.maxResults } : {}),
        ...(typeof body.nextToken === 'string' ? { nextToken: body.nextToken } : {}),
      });
      return {
        stateMachines: page.stateMachines.map((m) => ({
          stateMachineArn: m.stateMachineArn,
          name: m.name,
          type: m.type,
          creationDate: epochSeconds(m.creationDate),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }
    case 'DescribeStateMachine':
      return stateMachine(sfn.describeStateMachine(String(body.stateMachineArn ?? '')));
    case 'DescribeStateMachineForExecution': {
      const {
        status: _s,
        type: _t,
        creationDate,
        ...rest
      } = stateMachine(sfn.describeStateMachineForExecution(String(body.executionArn ?? '')));
      return { ...rest, updateDate: creationDate };
    }
    default:
      throw new AwsApiError('UnknownOperationException', `the local Step Functions does not serve ${operation}`);
  }
}

/** An execution as ListExecutions lists it; DescribeExecution adds its input, output and error. */
function listed(r: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: epochSeconds(r.startDate),
    ...(r.stopDate ? { stopDate: epochSeconds(r.stopDate) } : {}),
  };
}

function describe(r: ExecutionRecord): Record<string, unknown> {
  return {
    ...listed(r),
    input: r.input,
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
}

function stateMachine(m: StateMachineDescription): Record<string, unknown> {
  return { ...m, creationDate: epochSeconds(m.creationDate) };
}

function historyEvent(e: HistoryEvent): Record<string, unknown> {
  return { ...e, timestamp: e.timestamp / 1000 };
}

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
