/**
 * The one family of errors. An error's `name` is what a Step Functions Retry or Catch matches, so the names are part
 * of the workflow contract: `TransientError` is retried, everything else is not.
 *
 * Every class gives `name` a string literal instead of taking its class name at run time: the bundles are minified
 * (`packages/build/src/bundle.ts`), which renames classes, so `new.target.name` would be `Vf` in AWS and no Retry
 * would ever match. A new subclass declares `override readonly name = '<ClassName>' as const` the same way.
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

/**
 * A step's event does not have the shape its schema gives (`defineHandler`'s `event` option): a workflow's
 * `Parameters` and the function disagree. Never retried: the same state input builds the same event. The message
 * names the field path and what was expected, e.g. `event.detail.object.key: expected string`.
 */
export class InvalidEventError extends ValidationError {
  override readonly name = 'InvalidEventError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Something the caller asked for does not exist. */
export class NotFoundError extends TillflowError {
  override readonly name = 'NotFoundError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** Configuration is missing or wrong: raised at cold start, names the variable. */
export class ConfigError extends TillflowError {
  override readonly name = 'ConfigError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_ERROR', message, options);
  }
}

/** A dependency throttled or failed in a way that a later attempt may not: the workflow retries it with backoff. */
export class TransientError extends TillflowError {
  override readonly name = 'TransientError' as const;
  override readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSIENT_ERROR', message, options);
  }
}

/**
 * A date the API has no analysis for. A 404 like NotFoundError, and the error body also lists `nearest_dates` (the
 * analysed days closest to it), so that a caller is told where the data is instead of being given another day.
 */
export class DateNotAnalysedError extends TillflowError {
  override readonly name = 'DateNotAnalysedError' as const;
  /** Merged into the API's error body. */
  readonly details: { nearest_dates: string[] };
  constructor(date: string, nearestDates: string[]) {
    super(
      'NOT_FOUND',
      nearestDates.length > 0
        ? `${date} has not been analysed; the nearest analysed days are ${nearestDates.join(', ')}`
        : `${date} has not been analysed, and no day has been yet`,
    );
    this.details = { nearest_dates: nearestDates };
  }
}

/** The caller did not prove who it is (the local API key). */
export class UnauthorizedError extends TillflowError {
  override readonly name = 'UnauthorizedError' as const;
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}
