import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isConditionalCheckFailed } from '../src/clients/dynamodb';
import { s3Client } from '../src/clients/s3';
import { idempotentBy } from '../src/idempotency';
import { traced } from '../src/observability';
import { once } from '../src/once';

const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation - build';

function middlewareOf(client: S3Client): string[] {
  return client.middlewareStack.identify();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('once', () => {
  it('runs the factory once for callers that race, and gives them the same value', async () => {
    let calls = 0;
    const get = once(async () => {
      calls += 1;
      return { n: calls };
    });
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('tries again after a failure instead of keeping the rejection', async () => {
    let calls = 0;
    const get = once(async () => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
      return calls;
    });
    await expect(get()).rejects.toThrow('first attempt fails');
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
  });
});

describe('traced', () => {
  it('leaves a client untouched outside Lambda', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    const client = new S3Client({ region: 'us-east-1' });
    expect(await traced(client)).toBe(client);
    expect(middlewareOf(client)).not.toContain(XRAY_MIDDLEWARE);
  });

  it('leaves a client untouched in Lambda when POWERTOOLS_TRACE_ENABLED is false', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'FALSE');
    const client = new S3Client({ region: 'us-east-1' });
    await traced(client);
    expect(middlewareOf(client)).not.toContain(XRAY_MIDDLEWARE);
  });

  it('captures the client with X-Ray in Lambda', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', '');
    const client = new S3Client({ region: 'us-east-1' });
    expect(await traced(client)).toBe(client);
    expect(middlewareOf(client)).toContain(XRAY_MIDDLEWARE);
  });
});

describe('client factories', () => {
  it('build one client per process, even for first calls that race', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const [a, b] = await Promise.all([s3Client(), s3Client()]);
    expect(a).toBeInstanceOf(S3Client);
    expect(b).toBe(a);
    expect(await s3Client()).toBe(a);
  });

  it('recognise a refused conditional write by the SDK error', () => {
    const refused = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    expect(isConditionalCheckFailed(refused)).toBe(true);
    expect(isConditionalCheckFailed(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(isConditionalCheckFailed({ name: 'ConditionalCheckFailedException' })).toBe(false);
  });
});

describe('idempotentBy', () => {
  it('fails at cold start, naming IDEMPOTENCY_TABLE, when the table is not configured', () => {
    vi.stubEnv('IDEMPOTENCY_TABLE', '');
    expect(() => idempotentBy('[key, etag]').wrap('process-upload', async () => 1)).toThrow(/IDEMPOTENCY_TABLE/);
  });
});
