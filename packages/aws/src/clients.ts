import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability';

/**
 * The one place that builds AWS SDK clients. Endpoints come from the SDK's own variables (`AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_SFN`), which the SDK reads itself; this
 * module only adds what a local S3 server needs when such an override is present, so the same bundle runs in AWS.
 * Clients are created once per cold start and traced by X-Ray in Lambda (the tracer is quiet elsewhere).
 */
let s3: S3Client | undefined;
let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let sns: SNSClient | undefined;
let sfn: SFNClient | undefined;

/** True when an endpoint override points this service at a local server. */
function isLocal(service: 'S3' | 'DYNAMODB' | 'SNS' | 'SFN'): boolean {
  return Boolean(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL);
}

export function s3Client(): S3Client {
  if (!s3) {
    const local = isLocal('S3');
    s3 = tracer.captureAWSv3Client(
      new S3Client({
        // A local S3 server has no virtual-hosted bucket names, and stores aws-chunked checksum framing inside
        // objects when a streamed upload carries the SDK's default checksums.
        ...(local
          ? {
              forcePathStyle: true,
              requestChecksumCalculation: 'WHEN_REQUIRED',
              responseChecksumValidation: 'WHEN_REQUIRED',
            }
          : {}),
      }),
    );
  }
  return s3;
}

export function dynamoClient(): DynamoDBClient {
  if (!dynamo) dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
  return dynamo;
}

/** DynamoDB with plain JavaScript values in and out. */
export function documentClient(): DynamoDBDocumentClient {
  if (!documents) {
    documents = DynamoDBDocumentClient.from(dynamoClient(), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return documents;
}

export function snsClient(): SNSClient {
  if (!sns) sns = tracer.captureAWSv3Client(new SNSClient({}));
  return sns;
}

export function sfnClient(): SFNClient {
  if (!sfn) sfn = tracer.captureAWSv3Client(new SFNClient({}));
  return sfn;
}
