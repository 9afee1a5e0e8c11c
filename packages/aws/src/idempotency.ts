import { ConfigError } from '@tillflow/core';
import type { Context } from 'aws-lambda';
import { dynamoClient } from './clients/dynamodb';
import { once } from './once';

type Run<E, R> = (event: E, lambda: Context) => Promise<R>;

/** How a handler is made idempotent: built by {@link idempotentBy}, passed as `idempotency` to `defineHandler`. */
export interface Idempotency {
  /**
   * Wraps the handler's body of function `name`. Called at cold start; the Powertools wrapper itself is built on the
   * first invocation.
   */
  wrap<E, R>(name: string, run: Run<E, R>): Run<E, R>;
}

/**
 * Idempotency with Powertools, persisted in DynamoDB (`IDEMPOTENCY_TABLE`, required at cold start): `eventKey` is a
 * JMESPath over the event that identifies a duplicate, e.g. `[key, etag]`; a duplicate within `expiresAfterSeconds`
 * (7 days by default) gets the first call's result without running again.
 *
 * A separate export rather than a flag of `defineHandler`, so that only the bundles of idempotent functions hold the
 * Powertools idempotency code; and loaded on the first invocation rather than at import, to keep it out of the cold
 * import.
 */
export function idempotentBy(eventKey: string, options: { expiresAfterSeconds?: number } = {}): Idempotency {
  return {
    wrap<E, R>(name: string, run: Run<E, R>): Run<E, R> {
      const tableName = process.env.IDEMPOTENCY_TABLE;
      if (!tableName) throw new ConfigError('IDEMPOTENCY_TABLE: is required by an idempotent handler');
      const idempotent = once(async () => {
        const [{ IdempotencyConfig, makeIdempotent }, { DynamoDBPersistenceLayer }, client] = await Promise.all([
          import('@aws-lambda-powertools/idempotency'),
          import('@aws-lambda-powertools/idempotency/dynamodb'),
          dynamoClient(),
        ]);
        return makeIdempotent(run, {
          // One persistence layer per idempotent function: a shared one silently disables idempotency for the second.
          persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
          config: new IdempotencyConfig({
            eventKeyJmesPath: eventKey,
            throwOnNoIdempotencyKey: true,
            expiresAfterSeconds: options.expiresAfterSeconds ?? 7 * 24 * 3600,
          }),
          // Locally every function shares one process and one AWS_LAMBDA_FUNCTION_NAME, so the prefix is explicit.
          keyPrefix: `tillflow-${name}`,
        });
      });
      return async (event, lambda) => (await idempotent())(event, lambda);
    },
  };
}
