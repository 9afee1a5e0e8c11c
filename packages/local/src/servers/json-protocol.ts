import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { readSignedBody } from './api-auth';
import { send } from './http';

/** An error of an AWS JSON-protocol API: `code` is the `__type` the SDK turns into an exception name. */
export class AwsApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
    this.code = code;
  }
}

/** What sets one JSON-protocol API apart from another. */
export interface JsonProtocolApi {
  /** `1.0` (Step Functions) or `1.1` (CloudWatch Logs). */
  version: '1.0' | '1.1';
  /** The `X-Amz-Target` prefix before the operation name: `AWSStepFunctions.`. */
  targetPrefix: string;
  /** The service in the signature's credential scope: `states`, `logs`. */
  service: 'states' | 'logs';
  /** The code of an unexpected failure, answered as a 500. */
  internalError: string;
  /** Answers an operation; throws an {@link AwsApiError} for a client error. */
  dispatch(operation: string, body: Record<string, unknown>): unknown;
}

/**
 * An AWS JSON-protocol API over HTTP, as the SDKs and the AWS CLI speak it: `POST /` with
 * `X-Amz-Target: <prefix><Operation>`, a SigV4-signed JSON body, a JSON answer, errors as `{__type, message}` with
 * `x-amzn-errortype`. The local Step Functions and CloudWatch Logs APIs are this with their own operations.
 */
export function jsonProtocolListener(api: JsonProtocolApi): RequestListener {
  const contentType = `application/x-amz-json-${api.version}`;
  return async (req, res) => {
    const headers = { 'content-type': contentType, 'x-amzn-requestid': randomUUID() };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || !target.startsWith(api.targetPrefix)) {
        throw new AwsApiError(
          'UnknownOperationException',
          `expected POST with X-Amz-Target: ${api.targetPrefix}<Operation>`,
        );
      }
      const signed = await readSignedBody(req, 1024 * 1024, {
        service: api.service,
        protocol: 'json',
        refuse: (code, message) => new AwsApiError(code, message),
      });
      const text = signed.toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        throw new AwsApiError('SerializationException', 'the request body is not JSON');
      }
      send(res, 200, headers, JSON.stringify(api.dispatch(target.slice(api.targetPrefix.length), body)));
    } catch (error) {
      const e = error instanceof AwsApiError ? error : new AwsApiError(api.internalError, (error as Error).message);
      send(
        res,
        e.code === api.internalError ? 500 : 400,
        { ...headers, 'x-amzn-errortype': e.code },
        JSON.stringify({ __type: e.code, message: e.message }),
      );
    }
  };
}
