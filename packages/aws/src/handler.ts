import type { Logger } from '@aws-lambda-powertools/logger';
import { InvalidEventError } from '@tillflow/core';
import type { Context } from 'aws-lambda';
import type { Static, TObject, TProperties, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { readConfig } from './config';
import { toWorkflowError } from './errors';
import type { Idempotency } from './idempotency';
import { rootLogger } from './observability';

/** What a handler's body receives besides its event. */
export interface HandlerContext<C> {
  config: C;
  logger: Logger;
  lambda: Context;
}

/** The options of {@link defineHandler}. */
export interface HandlerOptions<P extends TProperties, S extends TSchema> {
  /** The function's name, as its folder: `process-upload`. Also the idempotency key prefix. */
  name: string;
  /** Environment variables the function reads, validated at cold start. */
  config: P;
  /**
   * The step's event (its contract with the workflow's `Parameters`), checked before anything else: a malformed
   * event fails as `InvalidEventError`, which no Retry matches. The body's event type is `Static` of it.
   */
  event: S;
  /** A correlation id for every log line of an invocation (upload key + ETag, or the business date). */
  correlationId?: (event: Static<S>) => string | undefined;
  /** Makes the handler idempotent: `idempotentBy('[key, etag]')`. */
  idempotency?: Idempotency;
}

/** A Lambda handler as the Node.js runtime calls it. */
export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The handler kit: config read once, the event checked against its schema (compiled once per cold start), a logger
 * child with the function name and a per-invocation correlation id, idempotency when asked for, and errors mapped to
 * the names the workflows retry or catch. A function's handler.ts is then only its step: decode, call the domain,
 * call adapters, return.
 *
 * @example
 * ```ts
 * export const handler = defineHandler(
 *   { name: 'write-metrics', config: { SALES_TABLE: Env.SALES_TABLE }, event: WriteMetricsEvent },
 *   async (event, { config }) => putStoreSummary(config.SALES_TABLE, event.figures, event.sequencer),
 * );
 * ```
 */
export function defineHandler<P extends TProperties, S extends TSchema, R>(
  options: HandlerOptions<P, S>,
  body: (event: Static<S>, ctx: HandlerContext<Static<TObject<P>>>) => Promise<R>,
): LambdaHandler<Static<S>, R> {
  const config = readConfig(options.config);
  const checkEvent = Compile(options.event);
  const logger = rootLogger.createChild({ persistentKeys: { function: options.name } });

  const plain = async (event: Static<S>, lambda: Context): Promise<R> => body(event, { config, logger, lambda });
  const run = options.idempotency ? options.idempotency.wrap(options.name, plain) : plain;

  return async (event: Static<S>, lambda: Context): Promise<R> => {
    if (!checkEvent.Check(event)) {
      const error = new InvalidEventError(describeEventErrors(checkEvent.Errors(event)));
      logger.error('invalid event', { error: { name: error.name, message: error.message } });
      throw error;
    }
    logger.addContext(lambda);
    const correlationId = options.correlationId?.(event);
    if (correlationId) logger.appendKeys({ correlation_id: correlationId });
    try {
      return await run(event, lambda);
    } catch (error) {
      const mapped = toWorkflowError(error);
      logger.error('invocation failed', { error: { name: mapped.name, message: mapped.message } });
      throw mapped;
    } finally {
      logger.resetKeys();
    }
  };
}

/**
 * What is wrong with an event, one clause per problem, each naming the field path and what was expected:
 * `event.detail.object.key: expected string; event.etag: is missing`.
 */
export function describeEventErrors(errors: readonly TLocalizedValidationError[]): string {
  const clauses = new Set<string>();
  for (const error of errors) {
    const path = ['event', ...error.instancePath.split('/').slice(1)].join('.');
    if (error.keyword === 'required') {
      for (const name of error.params.requiredProperties) clauses.add(`${path}.${name}: is missing`);
    } else if (error.keyword === 'type') {
      const types = Array.isArray(error.params.type) ? error.params.type.join(' or ') : error.params.type;
      clauses.add(`${path}: expected ${types}`);
    } else if (error.keyword === 'enum') {
      clauses.add(`${path}: expected one of ${error.params.allowedValues.join(', ')}`);
    } else if (error.keyword === 'const') {
      clauses.add(`${path}: expected ${JSON.stringify(error.params.allowedValue)}`);
    } else if (error.keyword !== 'anyOf') {
      clauses.add(`${path}: ${error.message}`);
    }
  }
  // A union's members each report; when only the union's own error is left, say that much.
  if (clauses.size === 0) clauses.add('event: does not match its schema');
  return `the event does not match the step's contract: ${[...clauses].join('; ')}`;
}
