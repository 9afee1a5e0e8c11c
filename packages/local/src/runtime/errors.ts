/**
 * A function invocation that failed, described the way the Lambda Node.js runtime describes it: `errorType` is the
 * thrown error's `name` (what a Step Functions Retry or Catch matches), `errorMessage` its message.
 */
export class LambdaInvocationError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(errorType: string, errorMessage: string, trace: string[] = [], options?: { cause?: unknown }) {
    super(errorMessage, options);
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.trace = trace;
  }

  /** The error payload Lambda returns for a failed invocation; Step Functions puts it in a Catch's `Cause`. */
  toPayload(): { errorType: string; errorMessage: string; trace: string[] } {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}
