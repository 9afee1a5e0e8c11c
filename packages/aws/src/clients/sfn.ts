import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../observability';

let sfn: SFNClient | undefined;

export function sfnClient(): SFNClient {
  if (!sfn) sfn = tracer.captureAWSv3Client(new SFNClient({}));
  return sfn;
}
