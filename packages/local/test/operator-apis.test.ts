import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { GetTopicAttributesCommand, ListSubscriptionsCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, REPO_ROOT, startTestPlatform } from '../src';
import { runLogsCommand } from '../src/cli/logs-command';
import { aws, awsJson, TEST_CREDENTIALS } from './aws-cli';

/**
 * An operator's view of the local platform, the real workflows running: `aws stepfunctions`, `aws sns` and
 * `aws logs` (the AWS CLI v2) and the SDK clients against the local endpoints, and `tillflow logs`.
 */
let platform: Platform;
const region = 'us-east-1';
const UPLOAD_PROCESSOR = 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-upload-processor';

interface HistoryEvent {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: string | number;
  [details: string]: unknown;
}

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.stop());

async function uploadViaApi(filename: string): Promise<void> {
  const body = readFileSync(join(REPO_ROOT, 'sample-data', filename), 'utf8');
  const res = await fetch(`${platform.endpoints.api}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename }),
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { uploadUrl: string; headers: Record<string, string> };
  const put = await fetch(answer.uploadUrl, { method: 'PUT', headers: answer.headers, body });
  expect(put.status).toBe(200);
}

describe('Step Functions for an operator', () => {
  it('lists and describes the state machines with the definition as run and the role Terraform names', async () => {
    const sfn = new SFNClient({ region, endpoint: platform.endpoints.sfn, credentials: TEST_CREDENTIALS });
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toEqual([
      'tillflow-analytics-job',
      'tillflow-daily-analysis',
      'tillflow-upload-processor',
    ]);
    expect(listed.stateMachines?.[2]).toMatchObject({ stateMachineArn: UPLOAD_PROCESSOR, type: 'STANDARD' });
    expect(listed.stateMachines?.[2]?.creationDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: UPLOAD_PROCESSOR }));
    expect(described).toMatchObject({
      status: 'ACTIVE',
      type: 'STANDARD',
      roleArn: 'arn:aws:iam::000000000000:role/tillflow-sfn-upload-processor',
      loggingConfiguration: { level: 'OFF' },
    });
    // Placeholders filled as Terraform fills them.
    expect(described.definition).toContain('arn:aws:lambda:us-east-1:000000000000:function:tillflow-process-upload');
    expect(described.definition).not.toContain('${');
    sfn.destroy();
  });

  it('answers aws stepfunctions list-state-machines and describe-state-machine', async () => {
    const listed = await awsJson<{ stateMachines: { name: string; creationDate: string }[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'list-state-machines',
    );
    expect(listed.stateMachines.map((m) => m.name)).toEqual([
      'tillflow-analytics-job',
      'tillflow-daily-analysis',
      'tillflow-upload-processor',
    ]);
    expect(Number.isNaN(Date.parse(listed.stateMachines[0]?.creationDate ?? ''))).toBe(false);
    const described = await awsJson<{ name: string; definition: string; status: string }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'describe-state-machine',
      '--state-machine-arn',
      UPLOAD_PROCESSOR,
    );
    expect(described).toMatchObject({ name: 'tillflow-upload-processor', status: 'ACTIVE' });
    expect(JSON.parse(described.definition).StartAt).toBe('ProcessUpload');
    await expect(
      aws(
        platform.endpoints.sfn,
        'stepfunctions',
        'describe-state-machine',
        '--state-machine-arn',
        `${UPLOAD_PROCESSOR}x`,
      ),
    ).rejects.toThrow(/StateMachineDoesNotExist/);
  });

  it('shows the history of an uploaded file’s execution: every Task in order, each function call and its result', async () => {
    await uploadViaApi('store_0002_2025-10-28.json');
    await platform.waitForIdle();
    const [run] = platform.executions({ machine: 'upload-processor' });
    expect(run?.status).toBe('SUCCEEDED');
    const arn = run?.executionArn as string;

    const { events } = await awsJson<{ events: HistoryEvent[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      arn,
    );
    const entered = events
      .filter((e) => e.type === 'TaskStateEntered')
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    expect(entered).toEqual(['ProcessUpload', 'WriteMetrics', 'CheckAllStores']);
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    // A Lambda ARN as Resource shows as AWS shows it: LambdaFunctionScheduled, Started, Succeeded.
    const processUpload = events.slice(1, 6).map((e) => e.type);
    expect(processUpload).toEqual([
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
    ]);
    const scheduled = events[2]?.lambdaFunctionScheduledEventDetails as { resource: string; input: string };
    expect(scheduled.resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:tillflow-process-upload');
    expect(JSON.parse(scheduled.input)).toMatchObject({ key: 'uploads/store_0002_2025-10-28.json' });
    expect(events.map((e) => e.type)).toContain('ChoiceStateEntered');
    expect(Date.parse(String(events[0]?.timestamp))).toBeGreaterThan(Date.parse(run?.startDate ?? '') - 1000);

    // Newest first, a page at a time (the CLI follows the tokens).
    const reversed = await awsJson<{ events: HistoryEvent[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      arn,
      '--reverse-order',
      '--page-size',
      '3',
    );
    expect(reversed.events.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());

    const sfn = new SFNClient({ region, endpoint: platform.endpoints.sfn, credentials: TEST_CREDENTIALS });
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 2 }));
    expect(first.events?.map((e) => e.id)).toEqual([1, 2]);
    const second = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.events?.map((e) => e.id)).toEqual([3, 4]);
    sfn.destroy();
  });

  it('starts, describes and lists an execution; a failed one shows the error in its history', async () => {
    const started = await awsJson<{ executionArn: string }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      UPLOAD_PROCESSOR,
      '--name',
      'operator-missing-file',
      '--input',
      JSON.stringify({
        detail: {
          bucket: { name: platform.bucket },
          object: { key: 'uploads/store_0009_2025-10-28.json', etag: 'none', size: 10, sequencer: '01' },
        },
      }),
    );
    await platform.waitForIdle();
    const described = await awsJson<{ status: string; error: string; name: string }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      started.executionArn,
    );
    expect(described).toMatchObject({ status: 'FAILED', name: 'operator-missing-file' });
    const listed = await awsJson<{ executions: { name: string; status: string }[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'list-executions',
      '--state-machine-arn',
      UPLOAD_PROCESSOR,
      '--status-filter',
      'FAILED',
    );
    expect(listed.executions.map((e) => e.name)).toContain('operator-missing-file');
    const { events } = await awsJson<{ events: HistoryEvent[] }>(
      platform.endpoints.sfn,
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      started.executionArn,
    );
    const types = events.map((e) => e.type);
    expect(types).toContain('LambdaFunctionFailed');
    // Caught: the alert is sent, then the Fail state ends the execution.
    const entered = events
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    expect(entered).toEqual(['ProcessUpload', 'NotifyFailure', 'UploadFailed']);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: described.error },
    });
  });
});

describe('SNS for an operator', () => {
  const alerts = 'arn:aws:sns:us-east-1:000000000000:tillflow-alerts';

  it('lists the topics and no subscriptions through the SDK', async () => {
    const sns = new SNSClient({ region, endpoint: platform.endpoints.sns, credentials: TEST_CREDENTIALS });
    const topics = await sns.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((t) => t.TopicArn)).toEqual([
      alerts,
      'arn:aws:sns:us-east-1:000000000000:tillflow-analytics-jobs',
      'arn:aws:sns:us-east-1:000000000000:tillflow-daily-report',
    ]);
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? []).toEqual([]);
    const attributes = await sns.send(new GetTopicAttributesCommand({ TopicArn: alerts }));
    expect(attributes.Attributes).toMatchObject({ TopicArn: alerts, SubscriptionsConfirmed: '0' });
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: `${alerts}-x` }))).rejects.toThrow(
      'Topic does not exist',
    );
    sns.destroy();
  });

  it('answers aws sns list-topics, list-subscriptions and get-topic-attributes', async () => {
    const topics = await awsJson<{ Topics: { TopicArn: string }[] }>(platform.endpoints.sns, 'sns', 'list-topics');
    expect(topics.Topics.map((t) => t.TopicArn)).toContain(alerts);
    const subscriptions = await awsJson<{ Subscriptions: unknown[] }>(
      platform.endpoints.sns,
      'sns',
      'list-subscriptions',
    );
    expect(subscriptions.Subscriptions).toEqual([]);
    const byTopic = await awsJson<{ Subscriptions: unknown[] }>(
      platform.endpoints.sns,
      'sns',
      'list-subscriptions-by-topic',
      '--topic-arn',
      alerts,
    );
    expect(byTopic.Subscriptions).toEqual([]);
    const attributes = await awsJson<{ Attributes: Record<string, string> }>(
      platform.endpoints.sns,
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      alerts,
    );
    expect(attributes.Attributes.TopicArn).toBe(alerts);
  });
});

describe('CloudWatch Logs for an operator', () => {
  // A function these tests never invoke: its group holds only the events put here.
  const group = '/aws/lambda/tillflow-trigger-daily-analysis';
  const now = Date.now();
  const streamA = '2026/12/01/[$LATEST]aaaa';
  const streamB = '2026/12/01/[$LATEST]bbbb';

  beforeAll(() => {
    platform.logStore.put(group, streamA, [
      { timestamp: now - 3000, message: 'START RequestId: a' },
      { timestamp: now - 1000, message: '{"level":"ERROR","message":"figures failed","store":"0003"}' },
    ]);
    platform.logStore.put(group, streamB, [{ timestamp: now - 2000, message: 'computed "store 0004" figures' }]);
  });

  it('has a log group per function, named as Terraform names it', () => {
    const names = platform.logStore.describeLogGroups().map((g) => g.logGroupName);
    expect(names).toContain('/aws/lambda/tillflow-process-upload');
    expect(names).toContain('/aws/lambda/tillflow-check-all-stores');
    expect(platform.logStore.logGroupName('process-upload')).toBe('/aws/lambda/tillflow-process-upload');
    expect(platform.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).toBe(platform.endpoints.logs);
  });

  it('answers aws logs describe-log-groups, describe-log-streams and filter-log-events', async () => {
    const groups = await awsJson<{ logGroups: { logGroupName: string; arn: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'describe-log-groups',
      '--log-group-name-prefix',
      '/aws/lambda/tillflow-t',
    );
    expect(groups.logGroups.map((g) => g.logGroupName)).toEqual([group]);
    expect(groups.logGroups[0]?.arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`);
    // The CLI follows the tokens: a page size of 2 still lists every group.
    const all = await awsJson<{ logGroups: unknown[] }>(
      platform.endpoints.logs,
      'logs',
      'describe-log-groups',
      '--page-size',
      '2',
    );
    expect(all.logGroups.length).toBe(platform.logStore.describeLogGroups().length);

    const streams = await awsJson<{ logStreams: { logStreamName: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'describe-log-streams',
      '--log-group-name',
      group,
      '--order-by',
      'LastEventTime',
      '--descending',
    );
    expect(streams.logStreams.map((s) => s.logStreamName)).toEqual([streamA, streamB]);

    const interleaved = await awsJson<{ events: { message: string; logStreamName: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
      '--page-size',
      '1',
    );
    expect(interleaved.events.map((e) => e.logStreamName)).toEqual([streamA, streamB, streamA]);
    const phrase = await awsJson<{ events: { message: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
      '--filter-pattern',
      '"store 0004"',
    );
    expect(phrase.events.map((e) => e.message)).toEqual(['computed "store 0004" figures']);
    const json = await awsJson<{ events: { message: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
      '--filter-pattern',
      '{ $.level = "ERROR" }',
      '--start-time',
      String(now - 1500),
    );
    expect(json.events).toHaveLength(1);
    await expect(
      aws(platform.endpoints.logs, 'logs', 'filter-log-events', '--log-group-name', '/aws/lambda/none'),
    ).rejects.toThrow(/ResourceNotFoundException/);
  });

  it('answers aws logs get-log-events and tail', async () => {
    const newest = await awsJson<{ events: { message: string }[]; nextForwardToken: string }>(
      platform.endpoints.logs,
      'logs',
      'get-log-events',
      '--log-group-name',
      group,
      '--log-stream-name',
      streamA,
      '--limit',
      '1',
    );
    expect(newest.events.map((e) => e.message)).toEqual([
      '{"level":"ERROR","message":"figures failed","store":"0003"}',
    ]);
    const oldest = await awsJson<{ events: { message: string }[] }>(
      platform.endpoints.logs,
      'logs',
      'get-log-events',
      '--log-group-name',
      group,
      '--log-stream-name',
      streamA,
      '--start-from-head',
      '--limit',
      '1',
    );
    expect(oldest.events.map((e) => e.message)).toEqual(['START RequestId: a']);

    const tail = await aws(platform.endpoints.logs, 'logs', 'tail', group, '--since', '1h');
    const lines = tail.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+00:00 2026\/12\/01\/\[\$LATEST\]aaaa START RequestId: a$/);
    expect(lines[1]).toContain('computed "store 0004" figures');
  });

  it('gives GetLogEvents tokens that repeat at the end of a stream, as a reader following it expects', async () => {
    const logs = new CloudWatchLogsClient({ region, endpoint: platform.endpoints.logs, credentials: TEST_CREDENTIALS });
    const stream = '2026/12/01/[$LATEST]cccc';
    platform.logStore.put(group, stream, [
      { timestamp: now, message: 'one' },
      { timestamp: now + 1, message: 'two' },
    ]);
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 1 }),
    );
    expect(first.events?.map((e) => e.message)).toEqual(['one']);
    const second = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: first.nextForwardToken }),
    );
    expect(second.events?.map((e) => e.message)).toEqual(['two']);
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: second.nextForwardToken }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    platform.logStore.put(group, stream, [{ timestamp: now + 2, message: 'three' }]);
    const more = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: end.nextForwardToken }),
    );
    expect(more.events?.map((e) => e.message)).toEqual(['three']);
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: first.nextBackwardToken }),
    );
    expect(back.events).toEqual([]);
    logs.destroy();
  });

  it('prints a function’s logs with tillflow logs, and follows new ones', async () => {
    const fn = 'write-metrics';
    const logGroup = platform.logStore.logGroupName(fn);
    platform.logStore.put(logGroup, 'stream-1', [{ timestamp: Date.now() - 60_000, message: 'wrote 0001' }]);
    const printed: string[] = [];
    const errors: string[] = [];
    const output = { out: (l: string) => printed.push(l), err: (l: string) => errors.push(l) };
    const port = String(platform.ports.logs);
    expect(await runLogsCommand([fn, '--logs-port', port, '--since', '5m'], { output })).toBe(0);
    // The function's own invocations write to its group too: only the streams put here are checked.
    const mine = (): string[] => printed.filter((l) => / stream-\d /.test(l));
    expect(mine()).toHaveLength(1);
    expect(mine()[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z stream-1 wrote 0001$/);

    let stop: () => void = () => undefined;
    const stopSignal = new Promise<void>((r) => {
      stop = r;
    });
    printed.length = 0;
    const following = runLogsCommand([fn, '--follow'], {
      output,
      stopSignal,
      pollIntervalMs: 20,
      env: { TILLFLOW_LOGS_PORT: port },
    });
    await waitFor(() => mine().length === 1);
    platform.logStore.put(logGroup, 'stream-2', [{ timestamp: Date.now(), message: 'wrote 0002' }]);
    await waitFor(() => mine().length === 2);
    stop();
    expect(await following).toBe(0);
    expect(mine()[1]).toContain('stream-2 wrote 0002');
    expect(errors).toEqual([]);

    expect(await runLogsCommand(['no-such-function', '--logs-port', port], { output })).toBe(1);
    expect(errors.at(-1)).toContain(
      'has no function "no-such-function" (no log group /aws/lambda/tillflow-no-such-function)',
    );

    const free = await freePort();
    expect(await runLogsCommand([fn, '--logs-port', String(free)], { output })).toBe(1);
    expect(errors.at(-1)).toContain(`no local platform answers at http://127.0.0.1:${free}`);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('request signing', () => {
  const calls = [
    { api: 'sfn', target: 'AWSStepFunctions.ListStateMachines', type: 'application/x-amz-json-1.0', body: '{}' },
    { api: 'logs', target: 'Logs_20140328.DescribeLogGroups', type: 'application/x-amz-json-1.1', body: '{}' },
    { api: 'sns', type: 'application/x-www-form-urlencoded', body: 'Action=ListTopics&Version=2010-03-31' },
  ] as const;

  it('refuses the platform APIs an anonymous call, as AWS does', async () => {
    const answers = await Promise.all(
      calls.map(async (call) => {
        const res = await fetch(platform.endpoints[call.api], {
          method: 'POST',
          headers: { 'content-type': call.type, ...('target' in call ? { 'x-amz-target': call.target } : {}) },
          body: call.body,
        });
        return { status: res.status, text: await res.text() };
      }),
    );
    expect(answers[0]).toMatchObject({
      status: 400,
      text: expect.stringContaining('MissingAuthenticationTokenException'),
    });
    expect(answers[1]).toMatchObject({
      status: 400,
      text: expect.stringContaining('MissingAuthenticationTokenException'),
    });
    expect(answers[2]).toMatchObject({
      status: 403,
      text: expect.stringContaining('<Code>MissingAuthenticationToken'),
    });
  });

  it('refuses a call signed with another secret, naming the signature', async () => {
    const wrong = { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const sns = new SNSClient({ region: 'us-east-1', endpoint: platform.endpoints.sns, credentials: wrong });
    await expect(sns.send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    sns.destroy();
    const logs = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: platform.endpoints.logs,
      credentials: wrong,
    });
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/tillflow-process-upload', logStreamName: 'x' })),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    logs.destroy();
  });
});
