import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { traced } from '../observability';
import { once } from '../once';

/** SES v2 (the report email). Locally `AWS_ENDPOINT_URL_SESV2` points it at the platform's SES server. */
export const sesClient: () => Promise<SESv2Client> = once(async () => {
  const { SESv2Client } = await import('@aws-sdk/client-sesv2');
  return traced(new SESv2Client({}));
});
