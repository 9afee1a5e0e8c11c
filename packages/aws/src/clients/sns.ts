import type { SNSClient } from '@aws-sdk/client-sns';
import { traced } from '../observability';
import { once } from '../once';

/** SNS. */
export const snsClient: () => Promise<SNSClient> = once(async () => {
  const { SNSClient } = await import('@aws-sdk/client-sns');
  return traced(new SNSClient({}));
});
