import type { AthenaClient } from '@aws-sdk/client-athena';
import { traced } from '../observability';
import { once } from '../once';

/** Athena (`AWS_ENDPOINT_URL_ATHENA` overrides the endpoint, as for the other services). */
export const athenaClient: () => Promise<AthenaClient> = once(async () => {
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  return traced(new AthenaClient({}));
});
