import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import type { SdkError } from '@smithy/types';
import { TillflowError, TransientError } from '@tillflow/core';

/**
 * Error names the SDK's classification does not know that a later attempt may not meet. Powertools raises this one
 * for a duplicate delivery running at the same moment: once the first finishes, a retry returns its stored result.
 */
const ALSO_TRANSIENT = new Set(['IdempotencyAlreadyInProgressError']);

/** How deep {@link toWorkflowError} follows `cause`: Powertools wraps the SDK's error once or twice. */
const CAUSE_DEPTH = 5;

/**
 * Maps an error to what the workflow should see. Tillflow errors pass through (their names are the contract with the
 * state machines). An error that the AWS SDK's own classification (`@smithy/service-error-classification`: throttling
 * codes, timeouts, 5xx, connection resets and refusals) calls retryable becomes a `TransientError`, so that the Retry
 * on every Task applies; so does an error whose `cause` is such an error (Powertools' idempotency wraps the SDK's
 * errors in its own). Anything else keeps its own name and is caught as a failure.
 */
export function toWorkflowError(error: unknown): Error {
  if (error instanceof TillflowError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  let current: unknown = error;
  for (let depth = 0; depth < CAUSE_DEPTH && current instanceof Error; depth++) {
    if (isRetryable(current)) return new TransientError(`${error.name}: ${error.message}`, { cause: error });
    current = current.cause;
  }
  return error;
}

function isRetryable(error: Error): boolean {
  const sdkError = error as SdkError;
  return (
    ALSO_TRANSIENT.has(error.name) ||
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    sdkError.$retryable !== undefined
  );
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
