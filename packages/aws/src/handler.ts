import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Static, TObject, TProperties } from '@sinclair/typebox';
import { TillflowError } from '@tillflow/core';
import type { Context } from 'aws-lambda';
import { dynamoClient } from './clients/dynamodb';
import { readConfig } from './config';
import { toWorkflowError } from './errors';
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
  /**
   * Makes the handler idempotent with Powertools (DynamoDB persistence in `IDEMPOTENCY_TABLE`): `eventKey` is a
   * JMESPath over the event that identifies a duplicate, e.g. `[key, etag]`.
   */
  idempotency?: { eventKey: string; expiresAfterSeconds?: number };
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

  let run = async (event: E, lambda: Context): Promise<R> => body(event, { config, logger, lambda });
  if (options.idempotency) {
    const tableName = process.env.IDEMPOTENCY_TABLE;
    if (!tableName) throw new TillflowError('CONFIG_ERROR', 'IDEMPOTENCY_TABLE: is required by an idempotent handler');
    run = makeIdempotent(run, {
      // One persistence layer per idempotent function: a shared one silently disables idempotency for the second.
      persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamoClient() }),
      config: new IdempotencyConfig({
        eventKeyJmesPath: options.idempotency.eventKey,
        throwOnNoIdempotencyKey: true,
        expiresAfterSeconds: options.idempotency.expiresAfterSeconds ?? 7 * 24 * 3600,
      }),
      // Locally every function shares one process and one AWS_LAMBDA_FUNCTION_NAME, so the prefix is explicit.
      keyPrefix: `tillflow-${options.name}`,
    });
  }

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
