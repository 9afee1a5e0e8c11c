/**
 * Verification of AWS Signature Version 4, for the local S3 and DynamoDB servers, which check none (s3rver takes any
 * V4 signature from its own key `S3RVER`, and a request with no signature at all; dynalite only checks that a
 * signature is there). A request is signed again with the SDK's own signer (`@smithy/signature-v4`) from what the
 * request says it signed (its signed headers, its credential scope, its date) and the secret of the key it names, and
 * the two signatures are compared. One verifier for both forms: the `Authorization` header, and the query of a
 * presigned URL as the JavaScript SDK and botocore (`aws s3 presign`) write it. Any region in the credential scope is
 * taken (the platform has one, but a CLI configured for another region should still work locally); the service must
 * be the server's.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, SourceData } from '@smithy/types';

/** An access key and its secret. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request as it arrived: method, target as sent (path and query, still encoded), headers with lower-case names. */
export interface ArrivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The whole body; needed only when the payload hash is not in `x-amz-content-sha256` (DynamoDB). */
  body?: Uint8Array;
}

/** Why a request was refused; each server maps these to its own error codes. */
export type Refusal =
  | 'missing' // no signature at all
  | 'malformed' // a signature that cannot be read, or for another service
  | 'unknown-key' // an access key other than the platform's
  | 'mismatch' // signed with another secret, or the request was changed after signing
  | 'skewed' // an Authorization header dated more than 15 minutes away
  | 'expired'; // a presigned URL past its X-Amz-Expires, or dated in the future

/**
 * The error codes AWS's JSON services (DynamoDB, Step Functions, CloudWatch Logs) answer each refusal with, as 400s.
 */
export const JSON_PROTOCOL_REFUSALS: Readonly<Record<Refusal, string>> = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  mismatch: 'InvalidSignatureException',
  skewed: 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
};

/** What signed the request, for what follows the signature (the chunks of an aws-chunked body). */
export interface SigningContext {
  form: 'header' | 'query';
  /** The request's `X-Amz-Date` (`yyyyMMddTHHmmssZ`). */
  longDate: string;
  /** `date/region/service/aws4_request`. */
  scope: string;
  /** The request's signature: the seed of an aws-chunked body's chain of chunk signatures. */
  signature: string;
  /** The payload hash the request signed: a hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-…` form. */
  payloadHash: string;
  /** HMAC-SHA256 of a string with the request's signing key, in hex: what chunk and trailer signatures are. */
  sign(stringToSign: string): Promise<string>;
}

/** The outcome of {@link verifySignature}. */
export type Verification = { ok: true; context: SigningContext } | { ok: false; refusal: Refusal; message: string };

/** What the server expects of a signature. */
export interface VerifyOptions {
  /** The service the server is (`s3`, `dynamodb`): the one a credential scope must name. */
  service: string;
  /** The one key pair the platform knows. */
  credentials: Credentials;
  /** S3 signs the path as sent; other services sign it normalised and encoded again. */
  uriEscapePath: boolean;
  /** The server's clock (tests). */
  now?: Date;
}

/** The query parameters of a presigned URL that make up its signature, never part of the request itself. */
export const QUERY_AUTH_PARAMETERS: ReadonlySet<string> = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
]);

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far from the server's clock a signed request may be dated, as in AWS. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned URL may live: a week, as in AWS. */
const MAX_EXPIRES_SECONDS = 604_800;

/**
 * Verifies the SigV4 signature of a request, in the `Authorization` header or in the query. Checks, in this order,
 * that there is a signature, that it names the platform's access key and the server's service, its date (15 minutes
 * of skew for a header; for a query, `X-Amz-Expires`), then the signature itself. The payload is the caller's: the
 * hash named by `x-amz-content-sha256` is returned in the context, to be compared with the body the server reads.
 */
/**
 * One signer per credentials, region, service and path escaping, kept: a signer caches the signing key it derives
 * for a day (four HMACs), which a signer made per request derived again for every request.
 */
const signers = new Map<string, SignatureV4>();

function signerFor(credentials: Credentials, region: string, service: string, uriEscapePath: boolean): SignatureV4 {
  const key = JSON.stringify([credentials.accessKeyId, credentials.secretAccessKey, region, service, uriEscapePath]);
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath, applyChecksum: false });
    // Bounded: a client may name any region in its scope.
    if (signers.size >= 64) signers.clear();
    signers.set(key, signer);
  }
  return signer;
}

export async function verifySignature(request: ArrivedRequest, options: VerifyOptions): Promise<Verification> {
  const [path = '/', rawQuery = ''] = splitOnce(request.url, '?');
  const query = parseQuery(rawQuery);
  if (!query) return refuse('malformed', 'The query string is not valid percent-encoding.');
  const authorization = header(request.headers, 'authorization');
  const queryAuth = query.find(([name]) => name.toLowerCase() === 'x-amz-algorithm');
  if (authorization !== undefined && queryAuth) {
    return refuse(
      'malformed',
      'Only one auth mechanism allowed: the X-Amz-Algorithm query parameter or the Authorization header.',
    );
  }
  if (authorization === undefined && !queryAuth) return refuse('missing', 'The request is not signed.');

  const parsed =
    authorization !== undefined ? parseAuthorization(authorization, request.headers) : parseQueryAuth(query);
  if ('refusal' in parsed) return parsed;
  const { accessKeyId, scope, signedHeaders, signature, longDate } = parsed;
  const [scopeDate, region, service, terminator] = scope;
  if (accessKeyId !== options.credentials.accessKeyId) {
    return refuse('unknown-key', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  if (scope.length !== 4 || !region || terminator !== 'aws4_request' || !scopeDate) {
    return refuse('malformed', `The credential scope "${scope.join('/')}" is not date/region/service/aws4_request.`);
  }
  if (service !== options.service) {
    return refuse(
      'malformed',
      `The credential scope names the service "${service}"; this server is "${options.service}".`,
    );
  }
  const signingDate = parseLongDate(longDate);
  if (!signingDate) return refuse('malformed', `"${longDate}" is not an ISO 8601 basic date (yyyyMMddTHHmmssZ).`);
  const now = (options.now ?? new Date()).getTime();
  if (parsed.form === 'header') {
    if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
      return refuse('skewed', 'The difference between the request time and the current time is too large.');
    }
  } else {
    if (!(parsed.expires >= 1 && parsed.expires <= MAX_EXPIRES_SECONDS)) {
      return refuse('malformed', `X-Amz-Expires must be between 1 and ${MAX_EXPIRES_SECONDS} seconds.`);
    }
    if (now > signingDate.getTime() + parsed.expires * 1000) return refuse('expired', 'Request has expired');
    if (signingDate.getTime() - now > MAX_SKEW_MS) return refuse('expired', 'Request is not valid yet');
  }

  // Only what was signed goes into the request signed again: the signer signs every header it is given.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) return refuse('mismatch', `The signed header "${name}" is not in the request.`);
    headers[name] = value;
  }
  const queryParams: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    if (name === 'X-Amz-Signature') continue;
    const previous = queryParams[name];
    queryParams[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const payloadHash =
    parsed.form === 'header'
      ? header(request.headers, 'x-amz-content-sha256')
      : (firstValue(query, 'x-amz-content-sha256') ?? (options.service === 's3' ? 'UNSIGNED-PAYLOAD' : undefined));
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: (headers.host ?? '').split(':')[0] ?? '',
    path,
    query: queryParams,
    headers,
    ...(request.body ? { body: request.body } : {}),
  };
  const signer = signerFor(options.credentials, region, service, options.uriEscapePath);
  const signable = new Set(signedHeaders);
  let expected: string;
  if (parsed.form === 'header') {
    // The signer reads the payload hash from x-amz-content-sha256 when the request has it, and hashes the body
    // otherwise; a hash header the client did not sign (or x-amz-date, which the signer sets) stays out of the
    // canonical headers.
    if (payloadHash !== undefined) unsigned.headers['x-amz-content-sha256'] = payloadHash;
    const unsignable = new Set(['x-amz-date', 'x-amz-content-sha256'].filter((name) => !signable.has(name)));
    const signed = await signer.sign(unsigned, {
      signingDate,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
    });
    expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  } else {
    // The JavaScript SDK signs X-Amz-Content-Sha256 into the query, botocore leaves it out (S3 then assumes
    // UNSIGNED-PAYLOAD). The signer reads the hash from a header: one of the query's name is hoisted back into the
    // query (keeping the name's case, which orders the canonical query); a lower-case one that is not in the query is
    // kept out of both.
    const inQuery = Object.keys(queryParams).find((name) => name.toLowerCase() === 'x-amz-content-sha256');
    const unhoistable = new Set(signedHeaders);
    const unsignable = new Set<string>();
    if (inQuery) {
      unsigned.headers[inQuery] = String(queryParams[inQuery]);
      delete queryParams[inQuery];
    } else if (payloadHash !== undefined) {
      unsigned.headers['x-amz-content-sha256'] = payloadHash;
      unhoistable.add('x-amz-content-sha256');
      unsignable.add('x-amz-content-sha256');
    }
    const signed = await signer.presign(unsigned, {
      signingDate,
      expiresIn: parsed.expires,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
      unhoistableHeaders: unhoistable,
    });
    expected = String(signed.query?.['X-Amz-Signature'] ?? '');
  }
  if (!equalText(expected, signature)) {
    return refuse(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  return {
    ok: true,
    context: {
      form: parsed.form,
      longDate,
      scope: scope.join('/'),
      signature,
      payloadHash: payloadHash ?? '',
      sign: (stringToSign) =>
        signer.sign(stringToSign, { signingDate, signingRegion: region, signingService: service }),
    },
  };
}

/** The hex SHA-256 of data, as SigV4 writes hashes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Compares two strings in constant time (for their length). */
export function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface ParsedAuth {
  form: 'header' | 'query';
  accessKeyId: string;
  scope: string[];
  signedHeaders: string[];
  signature: string;
  longDate: string;
  /** Seconds; for the query form only. */
  expires: number;
}

type Refused = { ok: false; refusal: Refusal; message: string };

function refuse(refusal: Refusal, message: string): Refused {
  return { ok: false, refusal, message };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=…` */
function parseAuthorization(value: string, headers: IncomingHttpHeaders): ParsedAuth | Refused {
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return refuse('malformed', `Unsupported Authorization type "${algorithm}": only ${ALGORITHM} is.`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const [name = '', field = ''] = splitOnce(part.trim(), '=');
    fields.set(name, field);
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || signedHeaders === undefined || !signature) {
    return refuse(
      'malformed',
      'The authorization header is malformed; it requires three components: Credential, SignedHeaders, and Signature.',
    );
  }
  const longDate = header(headers, 'x-amz-date') ?? dateHeaderAsLongDate(header(headers, 'date'));
  if (!longDate) return refuse('malformed', 'AWS authentication requires a valid Date or x-amz-date header.');
  const [accessKeyId = '', ...scope] = credential.split('/');
  return {
    form: 'header',
    accessKeyId,
    scope,
    signedHeaders: signedHeaders.split(';').filter(Boolean),
    signature,
    longDate,
    expires: 0,
  };
}

function parseQueryAuth(query: [string, string][]): ParsedAuth | Refused {
  const algorithm = firstValue(query, 'x-amz-algorithm');
  if (algorithm !== ALGORITHM) return refuse('malformed', `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  const credential = firstValue(query, 'x-amz-credential');
  const signedHeaders = firstValue(query, 'x-amz-signedheaders');
  const signature = firstValue(query, 'x-amz-signature');
  const longDate = firstValue(query, 'x-amz-date');
  const expires = firstValue(query, 'x-amz-expires');
  if (!credential || signedHeaders === undefined || !signature || !longDate || expires === undefined) {
    return refuse(
      'malformed',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, ' +
        'X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const [accessKeyId = '', ...scope] = credential.split('/');
  return {
    form: 'query',
    accessKeyId,
    scope,
    signedHeaders: signedHeaders.split(';').filter(Boolean),
    signature,
    longDate,
    expires: /^\d+$/.test(expires) ? Number(expires) : Number.NaN,
  };
}

/**
 * The query's parameters in order, decoded. `+` stays a plus (SDKs write a space as `%20`), and a name without `=`
 * has the empty value, as the canonical query of SigV4 has it (`?uploads`).
 */
function parseQuery(raw: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  try {
    for (const pair of raw.split('&')) {
      if (pair === '') continue;
      const [name = '', value = ''] = splitOnce(pair, '=');
      out.push([decodeURIComponent(name), decodeURIComponent(value)]);
    }
  } catch {
    return undefined;
  }
  return out;
}

function firstValue(query: [string, string][], lowerName: string): string | undefined {
  return query.find(([name]) => name.toLowerCase() === lowerName)?.[1];
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function parseLongDate(longDate: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An HTTP `Date` header as a SigV4 date, for the rare client that signs with it instead of `x-amz-date`. */
function dateHeaderAsLongDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/[-:]|\.\d+/g, '');
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the shape the SDK's signer takes. */
class Sha256 implements Checksum {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
