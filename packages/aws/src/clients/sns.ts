import { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from '../observability';

let sns: SNSClient | undefined;

export function snsClient(): SNSClient {
  if (!sns) sns = tracer.captureAWSv3Client(new SNSClient({}));
  return sns;
}
