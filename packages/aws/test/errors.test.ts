import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { ConfigError, NotFoundError, TransientError, ValidationError } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { toWorkflowError } from '../src/errors';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1', attempts: 3 });

/** A plain Node socket error, as the SDK's HTTP handler rejects with it when nothing listens on the endpoint. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, errno: -111, syscall: 'connect' });
}

describe('toWorkflowError', () => {
  it('turns the SDK throttling exceptions into TransientError, which every Task retries', () => {
    const throttled = new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata(400) });
    const mapped = toWorkflowError(throttled);
    expect(mapped).toBeInstanceOf(TransientError);
    expect(mapped.name).toBe('TransientError');
    expect(mapped.message).toBe('ThrottlingException: Rate exceeded');
    expect(mapped.cause).toBe(throttled);
    expect(
      toWorkflowError(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: metadata(400) }))
        .name,
    ).toBe('TransientError');
  });

  it('turns server errors into TransientError: a 503 SlowDown, a 500 InternalServerError, any other 5xx', () => {
    const slowDown = new S3ServiceException({
      name: 'SlowDown',
      $fault: 'server',
      $metadata: metadata(503),
      message: 'Please reduce your request rate.',
    });
    expect(toWorkflowError(slowDown).name).toBe('TransientError');
    expect(toWorkflowError(new InternalServerError({ message: 'internal', $metadata: metadata(500) })).name).toBe(
      'TransientError',
    );
    const odd = new S3ServiceException({ name: 'NotImplemented', $fault: 'server', $metadata: metadata(501) });
    expect(toWorkflowError(odd).name).toBe('TransientError');
  });

  it('turns Node network errors into TransientError, also when they are the cause of another error', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']) {
      expect(toWorkflowError(socketError(code)).name, code).toBe('TransientError');
    }
    expect(toWorkflowError(new Error('request failed', { cause: socketError('ECONNRESET') })).name).toBe(
      'TransientError',
    );
  });

  it("turns Powertools' duplicate-in-progress into TransientError, and keeps its other idempotency errors", () => {
    expect(toWorkflowError(new IdempotencyAlreadyInProgressError('running')).name).toBe('TransientError');
    expect(toWorkflowError(new IdempotencyValidationError('payload differs')).name).toBe('IdempotencyValidationError');
  });

  it('keeps client errors as they are, for the Catch to report', () => {
    const conditional = new ConditionalCheckFailedException({ message: 'failed', $metadata: metadata(400) });
    expect(toWorkflowError(conditional)).toBe(conditional);
    const missing = new NoSuchKey({ message: 'no such key', $metadata: metadata(404) });
    expect(toWorkflowError(missing)).toBe(missing);
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: metadata(403) });
    expect(toWorkflowError(denied).name).toBe('AccessDenied');
  });

  it('keeps Tillflow errors, whose names are the contract with the workflows', () => {
    for (const error of [new ValidationError('bad'), new NotFoundError('gone'), new ConfigError('X: unset')]) {
      expect(toWorkflowError(error)).toBe(error);
    }
  });

  it('turns a thrown non-error into an Error with its text', () => {
    expect(toWorkflowError('boom').message).toBe('boom');
  });
});
