/**
 * Authentication in front of the local S3 (s3rver) and DynamoDB (dynalite) of the storage process
 * (`storage-process.ts`): every request must be signed with the platform's credentials (`LOCAL_CREDENTIALS` in
 * `env.ts`), as AWS requires, and is refused as AWS refuses it otherwise.
 *
 * Where: in the storage process, at the head of each server's own request handling (the first middleware of s3rver's
 * Koa app; a wrapper of dynalite's request listener), not as a reverse proxy before them. A proxy would need a second
 * listener per server that serves unsigned requests to whoever finds it, one more hop for every byte, and it would
 * answer from outside the chain that holds a PUT's response until the platform has taken the object-created event.
 * Here a request reaches the emulator only once verified, on the one port there is, and the ack-waiting middleware
 * keeps working unchanged.
 *
 * What the emulators then see: for S3, the request without its signature (s3rver's own check takes any V4
 * signature from its built-in key), with the aws-chunked body decoded, so s3rver stores the plain bytes, and marked as
 * authenticated for s3rver (`ctx.state.account`, which it reads to allow `response-*` overrides). dynalite insists on
 * seeing a signature, so it gets the request as signed, its body replayed after verification.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { decodeAwsChunked, STREAMING_PAYLOADS } from './aws-chunked';
import {
  type Credentials,
  JSON_PROTOCOL_REFUSALS,
  QUERY_AUTH_PARAMETERS,
  type Refusal,
  sha256Hex,
  verifySignature,
} from './sigv4';

/** The part of a Koa context (s3rver's) this module reads and changes. */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond: boolean;
  querystring: string;
  state: Record<string, unknown>;
}

/** A Koa middleware, as s3rver's `middleware` list holds them. */
export type KoaMiddleware = (ctx: unknown, next: () => Promise<void>) => Promise<void>;

/**
 * A body held in memory while it is verified, so that nothing is stored before its hash, chunk signatures and
 * checksums have been checked. S3 takes up to 5 GB in one PUT; locally the limit is lower, and larger files go up in
 * parts (the SDK's `Upload` and the AWS CLI do that from 5-8 MB).
 */
export const MAX_VERIFIED_BODY_BYTES = 1024 * 1024 * 1024;

/** What dynalite itself accepts in one request. */
const MAX_DYNAMODB_BODY_BYTES = 16 * 1024 * 1024;

/** S3's answer to each refusal: status and error code. */
const S3_REFUSALS: Record<Refusal, [number, string]> = {
  // A private bucket answers an anonymous request so, whatever the object.
  missing: [403, 'AccessDenied'],
  malformed: [400, 'AuthorizationHeaderMalformed'],
  'unknown-key': [403, 'InvalidAccessKeyId'],
  mismatch: [403, 'SignatureDoesNotMatch'],
  skewed: [403, 'RequestTimeTooSkewed'],
  expired: [403, 'AccessDenied'],
};

/** Headers of the signature and of the aws-chunked framing, which s3rver must not see (it would store some). */
const S3_AUTH_HEADERS = [
  'authorization',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-decoded-content-length',
  'x-amz-trailer',
];

/**
 * The first middleware of s3rver's app: verifies the request's SigV4 signature (header or presigned query) and its
 * payload (the `x-amz-content-sha256` hash, the aws-chunked chunk and trailer signatures, the checksums), decodes an
 * aws-chunked body, then hands s3rver the request without its signature. A CORS preflight (OPTIONS) is not signed in
 * S3 either: it goes to s3rver's CORS rules untouched.
 */
export function s3Authentication(credentials: Credentials): KoaMiddleware {
  return async (context, next) => {
    const ctx = context as KoaContext;
    const { req } = ctx;
    if (req.method === 'OPTIONS') {
      // The preflight of a presigned URL carries its query: s3rver would check the access key it names.
      withoutSignature(ctx);
      return next();
    }
    const verification = await verifySignature(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
      { service: 's3', credentials, uriEscapePath: false },
    );
    if (!verification.ok) {
      const [status, code] = S3_REFUSALS[verification.refusal];
      return s3Error(ctx, status, code, verification.refusal === 'missing' ? 'Access Denied' : verification.message);
    }
    const hash = verification.context.payloadHash;
    const checksums = pickChecksums(req.headers);
    let body: Buffer | undefined;
    if (STREAMING_PAYLOADS.has(hash)) {
      const raw = await readBody(req, MAX_VERIFIED_BODY_BYTES);
      if (!raw) return s3TooLarge(ctx);
      const decoded = await decodeAwsChunked(raw, verification.context);
      if (!decoded.ok) {
        if (decoded.problem === 'signature') return s3Error(ctx, 403, 'SignatureDoesNotMatch', decoded.message);
        if (decoded.problem === 'unsupported') return s3Error(ctx, 501, 'NotImplemented', decoded.message);
        return s3Error(ctx, 400, 'IncompleteBody', decoded.message);
      }
      const declared = req.headers['x-amz-decoded-content-length'];
      if (declared !== undefined && Number(declared) !== decoded.data.length) {
        return s3Error(
          ctx,
          400,
          'IncompleteBody',
          `The body decodes to ${decoded.data.length} bytes; x-amz-decoded-content-length says ${declared}.`,
        );
      }
      Object.assign(checksums, decoded.trailers);
      body = decoded.data;
    } else if (/^[0-9a-fA-F]{64}$/.test(hash)) {
      body = await readBody(req, MAX_VERIFIED_BODY_BYTES);
      if (!body) return s3TooLarge(ctx);
      if (sha256Hex(body) !== hash.toLowerCase()) {
        return s3Error(
          ctx,
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
        );
      }
    } else if (hash === 'UNSIGNED-PAYLOAD') {
      // Nothing to verify in the body unless it carries a checksum: it streams on to s3rver as it comes.
      if (Object.keys(checksums).length > 0) {
        body = await readBody(req, MAX_VERIFIED_BODY_BYTES);
        if (!body) return s3TooLarge(ctx);
      }
    } else if (hash === '') {
      return s3Error(ctx, 400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    } else {
      return s3Error(
        ctx,
        400,
        'InvalidArgument',
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING- form, or a valid sha256 value.',
      );
    }
    if (body) {
      const wrong = mismatchedChecksum(body, checksums);
      if (wrong) {
        return s3Error(ctx, 400, 'BadDigest', `The ${wrong} you specified did not match the calculated checksum.`);
      }
    }

    withoutSignature(ctx);
    if (body) {
      // s3rver's controllers read the body from ctx.req: the verified (decoded) bytes replace the consumed stream.
      ctx.req = Readable.from(body.length > 0 ? [body] : [], { objectMode: false }) as IncomingMessage;
      req.headers['content-length'] = String(body.length);
      delete req.headers['transfer-encoding'];
    }
    // s3rver allows `response-*` overrides on GET only to requests it authenticated, which it records here.
    ctx.state.account = { accessKeyId: credentials.accessKeyId };
    await next();
  };
}

/**
 * Wraps dynalite's request listener: the body is read whole (DynamoDB signs its hash), the signature verified, and
 * dynalite gets the request with the same body replayed. Its CORS preflight and `GET /` health answer stay
 * unauthenticated, as in DynamoDB.
 */
export function dynamoAuthentication(listener: RequestListener, credentials: Credentials): RequestListener {
  return (req, res) => {
    if (req.method === 'OPTIONS' || req.method === 'GET') {
      listener(req, res);
      return;
    }
    void (async () => {
      const body = await readBody(req, MAX_DYNAMODB_BODY_BYTES);
      if (!body) {
        res.writeHead(413).end();
        return;
      }
      const verification = await verifySignature(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
        { service: 'dynamodb', credentials, uriEscapePath: true },
      );
      if (!verification.ok) {
        const type = JSON_PROTOCOL_REFUSALS[verification.refusal];
        const message =
          verification.refusal === 'missing'
            ? 'Request is missing Authentication Token'
            : verification.refusal === 'unknown-key'
              ? 'The security token included in the request is invalid.'
              : verification.message;
        const answer = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
        res.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
        return;
      }
      // dynalite reads method, url, headers and the body's data events: the stream replays the verified body.
      const replay = Object.assign(Readable.from(body.length > 0 ? [body] : [], { objectMode: false }), {
        method: req.method,
        url: req.url,
        headers: req.headers,
        socket: req.socket,
      });
      listener(replay as unknown as IncomingMessage, res);
    })().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#InternalFailure', message: error.message }));
    });
  };
}

/** Removes the signature from what s3rver sees: its headers, the aws-chunked coding and a presigned URL's query. */
function withoutSignature(ctx: KoaContext): void {
  const headers = ctx.req.headers;
  for (const name of S3_AUTH_HEADERS) delete headers[name];
  const encodings = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  if (encodings.length > 0) headers['content-encoding'] = encodings.join(', ');
  else delete headers['content-encoding'];
  const kept = ctx.querystring.split('&').filter((pair) => {
    if (pair === '') return false;
    const name = safeDecode(pair.split('=', 1)[0] ?? '').toLowerCase();
    return !QUERY_AUTH_PARAMETERS.has(name) && name !== 'x-amz-content-sha256';
  });
  ctx.querystring = kept.join('&');
}

/**
 * Checks the checksums a request carries (`x-amz-checksum-<algorithm>` in its headers or trailers, `content-md5`)
 * against the bytes to be stored, and returns the name of the first that does not match. CRC32, SHA-1, SHA-256 and
 * MD5 are checked (what `node:crypto` and `node:zlib` compute); CRC32C and CRC64NVME are taken on trust.
 */
function mismatchedChecksum(data: Uint8Array, fields: Record<string, string | undefined>): string | undefined {
  const expected: Record<string, () => string> = {
    'x-amz-checksum-crc32': () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(crc32(data));
      return bytes.toString('base64');
    },
    'x-amz-checksum-sha1': () => createHash('sha1').update(data).digest('base64'),
    'x-amz-checksum-sha256': () => createHash('sha256').update(data).digest('base64'),
    'content-md5': () => createHash('md5').update(data).digest('base64'),
  };
  for (const [name, compute] of Object.entries(expected)) {
    const value = fields[name];
    if (value !== undefined && value !== compute()) return name;
  }
  return undefined;
}

/** The checksum headers of a request (lower-case names). */
function pickChecksums(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if ((name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-algorithm') || name === 'content-md5') {
      if (typeof value === 'string') out[name] = value;
    }
  }
  return out;
}

/** The whole body, or undefined once it passes `limit` bytes (the rest is then discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

function s3TooLarge(ctx: KoaContext): void {
  s3Error(
    ctx,
    400,
    'EntityTooLarge',
    `Your proposed upload exceeds the ${MAX_VERIFIED_BODY_BYTES} bytes the local S3 takes in one request; upload it in parts.`,
  );
}

/** Answers with S3's XML error, bypassing s3rver (and its CORS handling: any origin may read the answer). */
function s3Error(ctx: KoaContext, status: number, code: string, message: string): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    '</Error>';
  ctx.respond = false;
  const headers: Record<string, string | number> = {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
  };
  if (ctx.req.headers.origin) headers['access-control-allow-origin'] = '*';
  ctx.res.writeHead(status, headers);
  ctx.res.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
