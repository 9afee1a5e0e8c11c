import { TillflowError, ValidationError } from '@tillflow/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Static, TObject, TProperties } from 'typebox';
import * as Type from 'typebox/type';
import { defineHandler, type HandlerContext, type HandlerOptions, type LambdaHandler } from './handler';

/** A JSON answer: status and body. */
export interface HttpResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  CONFIG_ERROR: 500,
  TRANSIENT_ERROR: 503,
};

/**
 * The API Gateway (HTTP API, payload v2) event as the kit checks it: an object with its request context. The rest is
 * API Gateway's to get right; a route's body and parameters are the handler's to validate (`jsonBody`).
 */
const HttpEvent = Type.Unsafe<APIGatewayProxyEventV2>(
  Type.Object({ requestContext: Type.Object({ requestId: Type.String() }) }),
);

/**
 * An API Gateway (HTTP API, payload v2) handler. The one place where errors become `{error: {code, message}}` with a
 * status: Tillflow errors by their code, anything else 500 without internals.
 */
export function defineHttpHandler<P extends TProperties>(
  options: Omit<HandlerOptions<P, typeof HttpEvent>, 'idempotency' | 'event'>,
  body: (event: APIGatewayProxyEventV2, ctx: HandlerContext<Static<TObject<P>>>) => Promise<HttpResult>,
): LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const inner = defineHandler(
    { ...options, event: HttpEvent, correlationId: options.correlationId ?? ((e) => e.requestContext?.requestId) },
    async (event, ctx): Promise<APIGatewayProxyStructuredResultV2> => {
      try {
        return toResponse(await body(event, ctx));
      } catch (error) {
        if (error instanceof TillflowError) {
          const status = STATUS_BY_CODE[error.code] ?? 500;
          if (status >= 500) ctx.logger.error('request failed', { error });
          return toResponse({ statusCode: status, body: { error: { code: error.code, message: error.message } } });
        }
        ctx.logger.error('request failed', { error });
        return toResponse({ statusCode: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'internal error' } } });
      }
    },
  );
  return inner;
}

function toResponse({ statusCode, body, headers }: HttpResult): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** The request's JSON body, or a ValidationError saying why it cannot be read. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) throw new ValidationError('the request has no body; send JSON');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('the request body is not valid JSON');
  }
}
