import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startTestPlatform } from '../src';

const fixtures = join(import.meta.dirname, 'fixtures');
const SM = 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-';
let platform: Platform;
let stateDir: string;

/** A browser's CORS preflight for a `method` request to `url`. */
function preflight(url: string, method: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://localhost:5173',
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type',
    },
  });
}

beforeAll(async () => {
  platform = await startTestPlatform({
    functionsDir: join(fixtures, 'functions'),
    stateMachinesDir: join(fixtures, 'state-machines'),
    routes: {
      'POST /things/{id}': 'echo-http',
      'PUT /files/{path+}': 'echo-http',
      'POST /uploads': 'generate-upload-url',
    },
    functionTimeoutsSeconds: { slow: 1 },
    expectedStores: ['0001', '0002'],
    staticDir: join(fixtures, 'static'),
    corsOrigins: ['http://localhost:5173'],
    // A schedule whose function has no handler is skipped, as Terraform would not have it either.
    schedules: [
      { functionName: 'echo', expression: 'cron(0 2 * * ? *)' },
      { functionName: 'empty', expression: 'cron(0 2 * * ? *)' },
    ],
    timeZone: 'Europe/Paris',
  });
  stateDir = platform.stateDir;
});

afterAll(() => platform?.stop());

describe('S3 events', () => {
  it('starts exactly one upload-processor execution per object under uploads/, with the EventBridge event', async () => {
    const s3 = platform.s3Client();
    const before = platform.executions({ machine: 'upload-processor' }).length;
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/store_0001_2025-10-29.json', Body: '[1,2,3]' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'processed/not-routed.json', Body: '[]' }));
    await platform.waitForIdle();

    const runs = platform.executions({ machine: 'upload-processor' }).slice(before);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.status).toBe('SUCCEEDED');
    const event = JSON.parse(run.input);
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::tillflow-local'],
      detail: {
        version: '0',
        bucket: { name: 'tillflow-local' },
        object: { key: 'uploads/store_0001_2025-10-29.json', size: 7, etag: put.ETag?.replaceAll('"', '') },
        reason: 'PutObject',
        requester: '000000000000',
      },
    });
    expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(event.detail.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
    // The handler read the object through the platform's S3 with the handler environment.
    expect(JSON.parse(run.output ?? '')).toEqual({
      key: 'uploads/store_0001_2025-10-29.json',
      etag: put.ETag?.replaceAll('"', ''),
      status: 'processed',
      lines: 3,
      accepted: 3,
      rejected: 0,
    });
  });

  it('gives keys as stored (not URL-encoded) and increasing sequencers', async () => {
    const s3 = platform.s3Client();
    const key = 'uploads/a file+with=odd%chars.json';
    await s3.send(new PutObjectCommand({ Bucket: 'tillflow-local', Key: key, Body: '[]' }));
    await s3.send(new PutObjectCommand({ Bucket: 'tillflow-local', Key: key, Body: '[1]' }));
    await platform.waitForIdle();
    const events = platform
      .executions({ machine: 'upload-processor' })
      .map((r) => JSON.parse(r.input))
      .filter((e) => e.detail.object.key === key);
    expect(events).toHaveLength(2);
    expect(events[1].detail.object.sequencer > events[0].detail.object.sequencer).toBe(true);
  });

  it('reports a failed task to the alerts topic through sns:publish and fails the execution', async () => {
    const s3 = platform.s3Client();
    await s3.send(new PutObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/broken.json', Body: 'not json' }));
    await platform.waitForIdle();
    const run = platform.executions({ machine: 'upload-processor' }).at(-1)!;
    expect(run).toMatchObject({ status: 'FAILED', error: 'UploadFailed', cause: 'the upload could not be processed' });
    expect(run.caught).toBe(1);
    const alert = platform.messages('tillflow-alerts').at(-1)!;
    expect(alert.subject).toBe('upload failed');
    expect(JSON.parse(alert.message)).toEqual({ key: 'uploads/broken.json', error: 'ValidationError' });
    const file = readFileSync(join(stateDir, 'sns', 'tillflow-alerts.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(file.at(-1)!).messageId).toBe(alert.messageId);
  });

  it('lists more objects than a page with continuation tokens (s3rver needs the legacy OpenSSL provider)', async () => {
    const s3 = platform.s3Client();
    await Promise.all(
      [0, 1, 2].map((i) => s3.send(new PutObjectCommand({ Bucket: 'tillflow-local', Key: `listing/${i}`, Body: 'x' }))),
    );
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'tillflow-local', Prefix: 'listing/', MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'tillflow-local',
        Prefix: 'listing/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect([...(first.Contents ?? []), ...(second.Contents ?? [])].map((o) => o.Key)).toEqual([
      'listing/0',
      'listing/1',
      'listing/2',
    ]);
  });
});

describe('Step Functions', () => {
  it('retries a TransientError and runs Tasks inside Parallel and Map', async () => {
    const { executionArn } = platform.startExecution('fan-out', { items: [{ n: 1 }, { n: 2 }] }, 'fan-1');
    await platform.waitForIdle();
    const run = platform.describeExecution(executionArn);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries).toBe(1);
    expect(JSON.parse(run.output ?? '')).toEqual({
      items: [{ n: 1 }, { n: 2 }],
      flaky: { attempts: 2 },
      fan: [
        [
          { item: { n: 1 }, fn: 'tillflow-echo' },
          { item: { n: 2 }, fn: 'tillflow-echo' },
        ],
      ],
    });
  });

  it('serves StartExecution through the SDK, with AWS naming rules, and DescribeExecution', async () => {
    const sfn = platform.sfnClient();
    const input = JSON.stringify({ name: 'x' });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: 'run-1', input }));
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:tillflow-child:run-1');
    // Same name and input while it runs: the same execution (StartExecution is idempotent).
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: 'run-1', input }));
    expect(again.executionArn).toBe(first.executionArn);
    // Same name, other input: refused.
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: 'run-1', input: '{"name":"y"}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await platform.waitForIdle();
    // Once closed, a name stays taken whatever the input.
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: 'run-1', input })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.name).toBe('run-1');
    expect(JSON.parse(described.output ?? '')).toEqual({ child: 'x' });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime() + 900);

    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: `${SM}child`, statusFilter: 'SUCCEEDED' }),
    );
    expect(listed.executions?.map((e) => e.name)).toContain('run-1');
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}nope`, input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${SM}child`, name: 'bad name', input: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidName' });
  });

  it('waits for executions that handlers start through the API', async () => {
    const { executionArn } = platform.startExecution('parent', { childName: 'from-handler' });
    await platform.waitForIdle();
    expect(platform.describeExecution(executionArn).status).toBe('SUCCEEDED');
    const child = platform.executions({ machine: 'child' }).find((r) => r.name === 'from-handler');
    // The child waits a second; waitForIdle must not return before it ends.
    expect(child?.status).toBe('SUCCEEDED');
    const lines = readFileSync(join(stateDir, 'executions.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.name === 'from-handler').map((l) => l.status)).toEqual(['RUNNING', 'SUCCEEDED']);
  });

  it("fails a Task whose function runs past its timeout with Lambda's Sandbox.Timedout", async () => {
    const { executionArn } = platform.startExecution('slow', {});
    await platform.waitForIdle();
    const run = platform.describeExecution(executionArn);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Sandbox.Timedout');
    expect(JSON.parse(run.cause ?? '').errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
  });
});

describe('SNS', () => {
  it('takes Publish from the SDK and appends the message to the topic file', async () => {
    const sns = platform.snsClient();
    const topic = 'arn:aws:sns:us-east-1:000000000000:tillflow-daily-report';
    const out = await sns.send(new PublishCommand({ TopicArn: topic, Subject: 'Daily report', Message: 'all good' }));
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = readFileSync(join(stateDir, 'sns', 'tillflow-daily-report.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      topicArn: topic,
      subject: 'Daily report',
      message: 'all good',
      messageId: out.MessageId,
    });
    await expect(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('HTTP API', () => {
  it('turns a request into a payload 2.0 event and the result into the response', async () => {
    const res = await fetch(`${platform.endpoints.api}/things/a%20b?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', origin: 'http://localhost:5173' },
      body: '{"hello":"world"}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-route')).toBe('POST /things/{id}');
    expect(res.headers.get('set-cookie')).toBe('session=abc; Path=/');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await res.json()).toMatchObject({
      version: '2.0',
      routeKey: 'POST /things/{id}',
      rawPath: '/things/a%20b',
      rawQueryString: 'x=1&x=2&y=z',
      queryStringParameters: { x: '1,2', y: 'z' },
      pathParameters: { id: 'a b' },
      cookies: ['c1=v1', 'c2=v2'],
      contentType: 'application/json',
      method: 'POST',
      stage: '$default',
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes binary bodies and matches greedy path parameters', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const res = await fetch(`${platform.endpoints.api}/files/a/b/c.bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(await res.json()).toMatchObject({
      routeKey: 'PUT /files/{path+}',
      pathParameters: { path: 'a/b/c.bin' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('answers CORS preflights of the configured origins only, and 404s unknown routes with the error shape', async () => {
    const cors = await preflight(`${platform.endpoints.api}/things/1`, 'POST');
    expect(cors.status).toBe(204);
    expect(cors.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(cors.headers.get('access-control-allow-methods')).toContain('POST');
    expect(cors.headers.get('access-control-allow-headers')).toBe('content-type');
    const other = await fetch(`${platform.endpoints.api}/things/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
    const missing = await fetch(`${platform.endpoints.api}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /nowhere' } });
  });

  it('hands out presigned URLs that upload through S3 and start the workflow', async () => {
    const answer = await fetch(`${platform.endpoints.api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'store_0002_2025-10-30.json' }),
    });
    const { uploadUrl, headers } = (await answer.json()) as { uploadUrl: string; headers: Record<string, string> };
    expect(uploadUrl.startsWith(`${platform.endpoints.s3}/tillflow-local/uploads/store_0002_2025-10-30.json?`)).toBe(
      true,
    );
    const put = await fetch(uploadUrl, { method: 'PUT', headers, body: '[{"a":1},{"a":2}]' });
    expect(put.status).toBe(200);
    // The PUT returns once its workflow is registered, so waitForIdle sees it.
    await platform.waitForIdle();
    const run = platform.executions({ machine: 'upload-processor' }).at(-1)!;
    expect(JSON.parse(run.output ?? '')).toMatchObject({
      key: 'uploads/store_0002_2025-10-30.json',
      accepted: 2,
    });
    const stored = await platform
      .s3Client()
      .send(new GetObjectCommand({ Bucket: 'tillflow-local', Key: 'uploads/store_0002_2025-10-30.json' }));
    expect(await stored.Body?.transformToString()).toBe('[{"a":1},{"a":2}]');
  });

  it('refuses a presigned URL bent to another key, content type or expiry (s3rver alone would accept them)', async () => {
    const answer = await fetch(`${platform.endpoints.api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'store_0002_2025-10-31.json' }),
    });
    const { uploadUrl, headers } = (await answer.json()) as { uploadUrl: string; headers: Record<string, string> };
    const attempts = [
      fetch(uploadUrl.replace('uploads/store_0002', 'processed/store_0002'), { method: 'PUT', headers, body: '[]' }),
      fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '[]' }),
      fetch(uploadUrl.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'), { method: 'PUT', headers, body: '[]' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    const listed = await platform
      .s3Client()
      .send(new ListObjectsV2Command({ Bucket: 'tillflow-local', Prefix: 'processed/store_0002' }));
    expect(listed.KeyCount).toBe(0);
    // A browser's preflight for the URL is answered by the bucket's CORS rules, not refused for want of a signature.
    const cors = await preflight(uploadUrl, 'PUT');
    expect(cors.status).toBe(200);
    expect(cors.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(uploadUrl, { method: 'PUT', headers, body: '[]' })).status).toBe(200);
    await platform.waitForIdle();
  });
});

describe('static files', () => {
  it('serves the dashboard folder for GETs that match no route, index.html for app routes', async () => {
    const script = await fetch(`${platform.endpoints.api}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe(readFileSync(join(fixtures, 'static', 'assets', 'app.js'), 'utf8'));
    const appRoute = await fetch(`${platform.endpoints.api}/stores/0001`, { headers: { accept: 'text/html' } });
    expect(await appRoute.text()).toContain('<title>dashboard</title>');
    expect((await fetch(`${platform.endpoints.api}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${platform.endpoints.api}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  });
});

describe('scheduler', () => {
  it("invokes scheduled functions at their minute in the platform's time zone", async () => {
    // 02:00 in Paris on 30 October 2025 (CET) is 01:00 UTC.
    expect(await platform.scheduler.tick(new Date('2025-10-30T01:00:00Z'))).toEqual(['echo']);
    expect(await platform.scheduler.tick(new Date('2025-10-30T02:00:00Z'))).toEqual([]);
  });
});

describe('DynamoDB', () => {
  it('has the tables Terraform creates, with GSI1 projecting everything', async () => {
    const client = platform.dynamoClient();
    const sales = await client.send(new DescribeTableCommand({ TableName: 'tillflow-sales' }));
    expect(sales.Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(sales.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const gsi = sales.Table?.GlobalSecondaryIndexes?.[0];
    expect(gsi?.IndexName).toBe('GSI1');
    expect(gsi?.KeySchema?.map((k) => k.AttributeName)).toEqual(['GSI1PK', 'GSI1SK']);
    expect(gsi?.Projection?.ProjectionType).toBe('ALL');
    const idempotency = await client.send(new DescribeTableCommand({ TableName: 'tillflow-idempotency' }));
    expect(idempotency.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  });
});

describe('handler environment', () => {
  it('gives handlers the local names, ARNs and endpoints', () => {
    expect(platform.env).toMatchObject({
      BUCKET_NAME: 'tillflow-local',
      SALES_TABLE: 'tillflow-sales',
      IDEMPOTENCY_TABLE: 'tillflow-idempotency',
      EXPECTED_STORES: '0001,0002',
      ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:tillflow-alerts',
      AWS_ENDPOINT_URL_S3: platform.endpoints.s3,
      AWS_ENDPOINT_URL_SFN: platform.endpoints.sfn,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      DAILY_ANALYSIS_TIMEZONE: 'Europe/Paris',
    });
    // Each function gets its variables in its own environments; nothing is set on the platform's process.
    expect(platform.runtime.settingsOf('echo')?.environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(
      platform.endpoints.dynamodb,
    );
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
  });

  it('invokes a function folder without a handler as Lambda fails an import', async () => {
    await expect(platform.invoke('empty', {})).rejects.toMatchObject({ name: 'Runtime.ImportModuleError' });
    const echoed = (await platform.invoke('echo', { a: 1 })) as { remainingMs: number; functionName: string };
    expect(echoed.functionName).toBe('tillflow-echo');
    expect(echoed.remainingMs).toBeGreaterThan(299_000);
    expect(echoed.remainingMs).toBeLessThanOrEqual(300_000);
  });
});
