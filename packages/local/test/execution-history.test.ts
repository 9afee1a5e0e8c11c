import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogStore, type Platform, startTestPlatform } from '../src';
import { awsJson, TEST_CREDENTIALS } from './aws-cli';

/**
 * Histories and StopExecution on the fixture state machines (a Retry through lambda:invoke, Parallel and Map, a
 * slow function), and what survives a restart of the platform: histories and log streams.
 */
const fixtures = join(import.meta.dirname, 'fixtures');
const stateDir = mkdtempSync(join(tmpdir(), 'tillflow-history-'));
const options = {
  stateDir,
  functionsDir: join(fixtures, 'functions'),
  stateMachinesDir: join(fixtures, 'state-machines'),
};
let platform: Platform;

interface HistoryEvent {
  id: number;
  type: string;
  [details: string]: unknown;
}

beforeAll(async () => {
  platform = await startTestPlatform(options);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('execution history', () => {
  it('records a retried lambda:invoke Task as two Task calls, and Parallel and Map states', async () => {
    const { executionArn } = platform.startExecution('fan-out', { items: ['a', 'b'] }, 'history-fan-out');
    await platform.waitForIdle();
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: platform.endpoints.sfn, credentials: TEST_CREDENTIALS });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 9)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse(events[2]?.taskScheduledEventDetails?.parameters ?? '{}')).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-flaky',
      Payload: { id: 'history-fan-out' },
    });
    expect(events[4]?.taskFailedEventDetails).toMatchObject({ error: 'TransientError' });
    expect(types).toEqual(
      expect.arrayContaining(['ParallelStateEntered', 'MapStateEntered', 'MapIterationStarted', 'MapStateExited']),
    );
    expect(types.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events[0]?.timestamp).toBeInstanceOf(Date);

    const bare = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(bare.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    sfn.destroy();
  });

  it('stops a running execution with aws stepfunctions stop-execution: ABORTED, its Task result ignored', async () => {
    const { executionArn } = platform.startExecution('slow', {}, 'to-stop');
    await new Promise((r) => setTimeout(r, 300));
    const stopped = await awsJson<{ stopDate: string }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'stop-execution',
      '--execution-arn',
      executionArn,
      '--error',
      'Operator.Stopped',
      '--cause',
      'stopped by hand',
    );
    expect(Number.isNaN(Date.parse(stopped.stopDate))).toBe(false);
    const described = await awsJson<{ status: string; error: string; cause: string }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn,
    );
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Operator.Stopped', cause: 'stopped by hand' });
    // The slow function runs on for its 3 seconds; what it returns changes nothing.
    await new Promise((r) => setTimeout(r, 3200));
    await platform.waitForIdle();
    expect(platform.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', error: 'Operator.Stopped' });
    const { events } = await awsJson<{ events: HistoryEvent[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      executionArn,
    );
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionAborted']);
    expect(events.at(-1)?.executionAbortedEventDetails).toEqual({
      error: 'Operator.Stopped',
      cause: 'stopped by hand',
    });
  });

  it('answers StopExecution on an ended execution with its stop date, and on an unknown one with an error', async () => {
    const { executionArn } = platform.startExecution('child', { name: 'x' }, 'ended-before-stop');
    await platform.waitForIdle();
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: platform.endpoints.sfn, credentials: TEST_CREDENTIALS });
    const ended = platform.describeExecution(executionArn);
    const answer = await sfn.send(new StopExecutionCommand({ executionArn }));
    expect(answer.stopDate?.toISOString()).toBe(ended.stopDate);
    expect(platform.describeExecution(executionArn).status).toBe('SUCCEEDED');
    await expect(sfn.send(new StopExecutionCommand({ executionArn: `${executionArn}-none` }))).rejects.toThrow(
      /Execution Does Not Exist/,
    );
    sfn.destroy();
  });

  it('keeps histories and log streams across a restart of the platform', async () => {
    const { executionArn } = platform.startExecution('child', { name: 'kept' }, 'before-restart');
    await platform.waitForIdle();
    // A folder with no handler: nothing else writes to its group.
    const group = platform.logStore.logGroupName('empty');
    platform.logStore.put(group, 'kept-stream', [{ timestamp: 1_000, message: 'from the first run' }]);
    await platform.stop();
    platform = await startTestPlatform(options);

    const sfn = new SFNClient({ region: 'us-east-1', endpoint: platform.endpoints.sfn, credentials: TEST_CREDENTIALS });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    sfn.destroy();
    const again = platform.logStore.getLogEvents({
      logGroupName: group,
      logStreamName: 'kept-stream',
      startFromHead: true,
    });
    expect(again.events.map((e) => e.message)).toEqual(['from the first run']);
    // A store opened on the same folder reads the same (the platform's is the only writer).
    const reopened = new LogStore(join(stateDir, 'logs'));
    expect(reopened.describeLogStreams(group).map((s) => s.logStreamName)).toEqual(['kept-stream']);
  });
});
