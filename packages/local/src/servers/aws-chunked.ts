/**
 * The `aws-chunked` content encoding of S3 uploads, decoded: the SDKs send a streamed body (and, with their default
 * checksums, every upload of unknown length) as chunks `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, a last
 * chunk of size 0 and optional trailing headers (the checksum). s3rver would store the framing inside the object, so
 * the local S3 decodes it first (`s3-auth.ts`). Hand-written because no npm package decodes it; delete it if s3rver
 * (or its replacement) ever does, keeping the signature checks.
 */
import { equalText, type SigningContext, sha256Hex } from './sigv4';

/** The decoded body and its trailing headers (names lower-case), or why the body is refused. */
export type Decoded =
  | { ok: true; data: Buffer; trailers: Record<string, string> }
  | { ok: false; problem: 'malformed' | 'signature' | 'unsupported'; message: string };

/** The `x-amz-content-sha256` values of an aws-chunked body. */
export const STREAMING_PAYLOADS: ReadonlySet<string> = new Set([
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

const EMPTY_SHA256 = sha256Hex('');

/**
 * Decodes a whole aws-chunked body. In the signed forms each chunk's signature continues the chain from the
 * request's signature (`AWS4-HMAC-SHA256-PAYLOAD`), and a trailer's signature ends it (`AWS4-HMAC-SHA256-TRAILER`), so
 * a body cannot be changed, cut or extended after signing; the unsigned form is protected by its trailing checksum,
 * which the caller checks. SigV4a (ECDSA) bodies are refused as unsupported.
 */
export async function decodeAwsChunked(body: Buffer, context: SigningContext): Promise<Decoded> {
  const mode = context.payloadHash;
  if (mode.includes('ECDSA')) return unsupported('SigV4a (ECDSA) streaming signatures are not supported locally.');
  const signed = mode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const hasTrailer = mode.endsWith('-TRAILER');
  const chunks: Buffer[] = [];
  let previous = context.signature;
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return malformed('a chunk header does not end with CRLF');
    const [sizeText = '', ...extensions] = body.subarray(at, lineEnd).toString('latin1').split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) return malformed(`"${sizeText}" is not a chunk size`);
    const size = Number.parseInt(sizeText, 16);
    const start = lineEnd + 2;
    const data = body.subarray(start, start + size);
    if (data.length !== size) return malformed('the body ends inside a chunk');
    if (signed) {
      const provided = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      const stringToSign = [
        'AWS4-HMAC-SHA256-PAYLOAD',
        context.longDate,
        context.scope,
        previous,
        EMPTY_SHA256,
        sha256Hex(data),
      ].join('\n');
      const expected = await context.sign(stringToSign);
      if (!equalText(provided ?? '', expected)) return signatureMismatch(`chunk at byte ${at}`);
      previous = expected;
    }
    if (size > 0) {
      if (body.subarray(start + size, start + size + 2).toString('latin1') !== '\r\n') {
        return malformed('a chunk does not end with CRLF');
      }
      chunks.push(data);
      at = start + size + 2;
      continue;
    }
    // The last chunk: trailing headers, if any, up to an empty line.
    const trailers: Record<string, string> = {};
    const trailerLines: string[] = [];
    let providedTrailerSignature: string | undefined;
    at = start;
    for (;;) {
      const end = body.indexOf('\r\n', at);
      if (end < 0) {
        // A body that ends without the final empty line after its trailers (or after the last chunk) is still whole.
        if (at < body.length) return malformed('a trailing header does not end with CRLF');
        break;
      }
      const line = body.subarray(at, end).toString('latin1');
      at = end + 2;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon < 0) return malformed(`"${line}" is not a trailing header`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') providedTrailerSignature = value;
      else {
        trailers[name] = value;
        trailerLines.push(`${name}:${value}\n`);
      }
    }
    if (at < body.length) return malformed('bytes follow the last chunk');
    if (!hasTrailer && trailerLines.length > 0) return malformed('trailing headers in a body that declares none');
    if (signed && hasTrailer) {
      const stringToSign = [
        'AWS4-HMAC-SHA256-TRAILER',
        context.longDate,
        context.scope,
        previous,
        sha256Hex(trailerLines.join('')),
      ].join('\n');
      if (!equalText(providedTrailerSignature ?? '', await context.sign(stringToSign)))
        return signatureMismatch('trailer');
    }
    return { ok: true, data: Buffer.concat(chunks), trailers };
  }
}

function malformed(what: string): Decoded {
  return { ok: false, problem: 'malformed', message: `The aws-chunked body is malformed: ${what}.` };
}

function signatureMismatch(what: string): Decoded {
  return {
    ok: false,
    problem: 'signature',
    message: `The ${what} signature of the aws-chunked body does not match the signature we calculated.`,
  };
}

function unsupported(message: string): Decoded {
  return { ok: false, problem: 'unsupported', message };
}
