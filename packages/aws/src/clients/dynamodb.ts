import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability';

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  if (!dynamo) dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
  return dynamo;
}

/** DynamoDB with plain JavaScript values in and out. */
export function documentClient(): DynamoDBDocumentClient {
  if (!documents) {
    documents = DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  }
  return documents;
}
