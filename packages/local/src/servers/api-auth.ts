import type { IncomingMessage } from 'node:http';
import { LOCAL_CREDENTIALS } from '../env';
import { readBody } from './http';
import { JSON_PROTOCOL_REFUSALS, type Refusal, verifySignature } from './sigv4';

/** The error codes of the query (XML) services, SNS among them, answered as 403s. */
const QUERY_REFUSALS: Record<Refusal, string> = {
  missing: 'MissingAuthenticationToken',
  malformed: 'IncompleteSignature',
  'unknown-key': 'InvalidClientTokenId',
  mismatch: 'SignatureDoesNotMatch',
  skewed: 'SignatureDoesNotMatch',
  expired: 'SignatureDoesNotMatch',
};

/**
 * Reads a request's body and checks its SigV4 signature against the local credentials, as the Step Functions, SNS,
 * SES and CloudWatch Logs APIs check theirs (the SDKs and the AWS CLI sign every call): an anonymous or mis-signed call
 * is refused through `refuse`, which builds the API's own error from the code AWS would answer with.
 */
export async function readSignedBody(
  req: IncomingMessage,
  limitBytes: number,
  api: {
    service: 'states' | 'sns' | 'logs' | 'ses';
    protocol: 'json' | 'query';
    refuse(code: string, message: string): Error;
  },
): Promise<Buffer> {
  const body = await readBody(req, limitBytes);
  const verification = await verifySignature(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
    { service: api.service, credentials: LOCAL_CREDENTIALS, uriEscapePath: true },
  );
  if (!verification.ok) {
    const codes = api.protocol === 'json' ? JSON_PROTOCOL_REFUSALS : QUERY_REFUSALS;
    throw api.refuse(codes[verification.refusal], verification.message);
  }
  return body;
}
