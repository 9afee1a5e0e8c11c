import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../observability';
import { once } from '../once';

/** DynamoDB. */
export const dynamoClient: () => Promise<DynamoDBClient> = once(async () => {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  return traced(new DynamoDBClient({}));
});

/** DynamoDB with plain JavaScript values in and out, over {@link dynamoClient}. */
export const documentClient: () => Promise<DynamoDBDocumentClient> = once(async () => {
  const [{ DynamoDBDocumentClient }, client] = await Promise.all([import('@aws-sdk/lib-dynamodb'), dynamoClient()]);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

/**
 * Whether a write was refused by its ConditionExpression. By the error's name, which the SDK gives its
 * `ConditionalCheckFailedException` class, so that checking needs no import of the SDK module.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
