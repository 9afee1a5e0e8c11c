import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { TillflowError, TransientError } from '@tillflow/core';

type SdkError = Parameters<typeof isTransientError>[0];

/**
 * Error names that a later attempt may clear but that the SDK's classification does not know, because they are not
 * the SDK's: Powertools idempotency's "a duplicate delivery is running at this moment" (once the first finishes, a
 * retry returns its stored result). Plain Node network errors (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT, ENOTFOUND,
 * ...) need no entry: `isTransientError` reads their `code`.
 */
const OTHER_TRANSIENT_NAMES: ReadonlySet<string> = new Set(['IdempotencyAlreadyInProgressError']);

/**
 * Maps an error to what the workflow should see. Tillflow errors pass through (their names are the contract with the
 * state machines); what the AWS SDK itself would retry becomes `TransientError`, so that the Retry on every Task
 * applies: throttling (`isThrottlingError`: throttling names, 429), transient errors (`isTransientError`: timeouts,
 * 500/502/503/504, `$retryable`, Node network codes, also in a `cause`) and other 5xx (`isServerError`). The
 * classification is the SDK's own (`@smithy/service-error-classification`), so it follows the SDK's list of names
 * instead of a copy of it. Anything else keeps its own name and is caught as a failure.
 */
export function toWorkflowError(error: unknown): Error {
  if (error instanceof TillflowError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const sdkError = error as SdkError;
  if (
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    OTHER_TRANSIENT_NAMES.has(error.name)
  ) {
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
