import type { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from '../observability';
import { once } from '../once';

/** Step Functions. */
export const sfnClient: () => Promise<SFNClient> = once(async () => {
  const { SFNClient } = await import('@aws-sdk/client-sfn');
  return traced(new SFNClient({}));
});
