/**
 * The one family of errors. An error's `name` is what a Step Functions Retry or Catch matches, so the names are part
 * of the workflow contract: `TransientError` is retried, everything else is not. Every class states its name as a
 * string literal: the deployed bundles are minified, and a name taken from the class (`new.target.name`) would reach
 * the workflows as `Vf` or `xu`, matching no Retry.
 */
export class TillflowError extends Error {
  override readonly name: string = 'TillflowError';
  /** A stable, machine-readable code, also used by the API's error body. */
  readonly code: string;
  readonly retryable: boolean = false;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Input that breaks a rule. Never retried: the same input fails the same way. */
export class ValidationError extends TillflowError {
  override readonly name: string = 'ValidationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('VALIDATION_ERROR', message, options);
  }
}

/** Something the caller asked for does not exist. */
export class NotFoundError extends TillflowError {
  override readonly name: string = 'NotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** Configuration is missing or wrong: raised at cold start, names the variable. */
export class ConfigError extends TillflowError {
  override readonly name: string = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_ERROR', message, options);
  }
}

/** A dependency throttled or failed in a way that a later attempt may not: the workflow retries it with backoff. */
export class TransientError extends TillflowError {
  override readonly name: string = 'TransientError';
  override readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSIENT_ERROR', message, options);
  }
}
