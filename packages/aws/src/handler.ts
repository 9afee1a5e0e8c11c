import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Static, TObject, TProperties } from 'typebox';
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

export interface HandlerOptions<P extends TProperties, E> {
  /** The function's name, as its folder: `process-upload`. Also the idempotency key prefix. */
  name: string;
  /** Environment variables the function reads, validated at cold start. */
  config: P;
  /** A correlation id for every log line of an invocation (upload key + ETag, or the business date). */
  correlationId?: (event: E) => string | undefined;
  /** Makes the handler idempotent: `idempotentBy('[key, etag]')`. */
  idempotency?: Idempotency;
}

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The handler kit: config read once, a logger child with the function name and a per-invocation correlation id,
 * idempotency when asked for, and errors mapped to the names the workflows retry or catch. A function's handler.ts is
 * then only its step: decode, call the domain, call adapters, return.
 */
export function defineHandler<P extends TProperties, E, R>(
  options: HandlerOptions<P, E>,
  body: (event: E, ctx: HandlerContext<Static<TObject<P>>>) => Promise<R>,
): LambdaHandler<E, R> {
  const config = readConfig(options.config);
  const logger = rootLogger.createChild({ persistentKeys: { function: options.name } });

  const plain = async (event: E, lambda: Context): Promise<R> => body(event, { config, logger, lambda });
  const run = options.idempotency ? options.idempotency.wrap(options.name, plain) : plain;

  return async (event: E, lambda: Context): Promise<R> => {
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
