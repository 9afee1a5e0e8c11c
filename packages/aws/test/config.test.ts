import {
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { Type } from '@sinclair/typebox';
import { ConfigError, TransientError, ValidationError } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { Env, readConfig } from '../src/config';
import { toWorkflowError } from '../src/errors';

describe('readConfig', () => {
  it('reads typed values, lists and defaults', () => {
    const config = readConfig(
      {
        BUCKET_NAME: Env.BUCKET_NAME,
        EXPECTED_STORES: Env.EXPECTED_STORES,
        UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS,
      },
      { BUCKET_NAME: 'tillflow-local', EXPECTED_STORES: '0001, 0002,0003' },
    );
    expect(config).toEqual({
      BUCKET_NAME: 'tillflow-local',
      EXPECTED_STORES: ['0001', '0002', '0003'],
      UPLOAD_URL_EXPIRES_SECONDS: 900,
    });
  });

  it('fails naming the variable that is missing', () => {
    expect(() => readConfig({ SALES_TABLE: Env.SALES_TABLE }, {})).toThrow(/SALES_TABLE.*not set/);
    expect(() => readConfig({ SALES_TABLE: Env.SALES_TABLE }, {})).toThrow(ConfigError);
  });

  it('fails naming the variable whose value is wrong', () => {
    expect(() => readConfig({ EXPECTED_STORES: Env.EXPECTED_STORES }, { EXPECTED_STORES: '0001,12' })).toThrow(
      /EXPECTED_STORES/,
    );
    expect(() =>
      readConfig(
        { UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS },
        { UPLOAD_URL_EXPIRES_SECONDS: '7200' },
      ),
    ).toThrow(/UPLOAD_URL_EXPIRES_SECONDS.*7200/);
    expect(() => readConfig({ N: Type.Integer() }, { N: 'ten' })).toThrow(/N:/);
  });
});

describe('toWorkflowError', () => {
  function awsError(name: string, status: number): Error {
    return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
  }

  it('turns throttling and 5xx into TransientError, which the workflows retry', () => {
    expect(toWorkflowError(awsError('ProvisionedThroughputExceededException', 400))).toBeInstanceOf(TransientError);
    expect(toWorkflowError(awsError('SlowDown', 503)).name).toBe('TransientError');
    expect(toWorkflowError(awsError('SomethingOdd', 500)).name).toBe('TransientError');
  });

  it("classifies the SDK's own exception classes as the SDK does", () => {
    const meta = { httpStatusCode: 400, attempts: 3, totalRetryDelay: 0 };
    const throttled = new ThrottlingException({ message: 'Rate exceeded', $metadata: meta });
    expect(toWorkflowError(throttled)).toMatchObject({ name: 'TransientError', cause: throttled });
    const capacity = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: meta });
    expect(toWorkflowError(capacity).name).toBe('TransientError');
    const missing = new ResourceNotFoundException({ message: 'no table', $metadata: meta });
    expect(toWorkflowError(missing)).toBe(missing);
  });

  it('retries a refused or reset connection, also when Powertools wraps it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4569'), { code: 'ECONNREFUSED' });
    expect(toWorkflowError(refused).name).toBe('TransientError');
    const wrapped = new Error('Failed to save in progress record to idempotency store', { cause: refused });
    wrapped.name = 'IdempotencyPersistenceLayerError';
    expect(toWorkflowError(wrapped)).toMatchObject({ name: 'TransientError', cause: wrapped });
    const inProgress = Object.assign(new Error('in progress'), { name: 'IdempotencyAlreadyInProgressError' });
    expect(toWorkflowError(inProgress).name).toBe('TransientError');
    const unrelated = new Error('Failed to save', { cause: new Error('bad item') });
    expect(toWorkflowError(unrelated)).toBe(unrelated);
  });

  it('keeps Tillflow errors and other client errors as they are', () => {
    const validation = new ValidationError('bad');
    expect(toWorkflowError(validation)).toBe(validation);
    expect(toWorkflowError(awsError('AccessDenied', 403)).name).toBe('AccessDenied');
  });
});
