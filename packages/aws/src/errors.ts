import { TillflowError, TransientError } from '@tillflow/core';

/** Error names of the AWS SDK and Powertools that a later attempt may not meet: throttling, 5xx, timeouts. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'InternalServerError',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  // A duplicate delivery running at the same moment: once the first finishes, a retry returns its stored result.
  'IdempotencyAlreadyInProgressError',
]);

/**
 * Maps an error to what the workflow should see. Tillflow errors pass through (their names are the contract with the
 * state machines); AWS throttling, 5xx and network errors become `TransientError` so that the Retry on every Task
 * applies; anything else keeps its own name and is caught as a failure.
 */
export function toWorkflowError(error: unknown): Error {
  if (error instanceof TillflowError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const meta = error as Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };
  const status = meta.$metadata?.httpStatusCode ?? 0;
  if (TRANSIENT_NAMES.has(error.name) || TRANSIENT_NAMES.has(meta.code ?? '') || meta.$retryable || status >= 500) {
    return new TransientError(`${error.name}: ${error.message}`, { cause: error });
  }
  return error;
}

/**
 * The message of a Catch's `Cause`: for a Lambda error Step Functions gives the function's error payload as JSON text
 * (`{"errorType", "errorMessage", "trace"}`), of which only the message is worth reporting; other causes are text.
 */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '(no cause given)';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
