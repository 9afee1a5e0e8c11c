import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, SourceData } from '@smithy/types';

/**
 * Checks the SigV4 signature of a presigned S3 URL, which s3rver does not do (it accepts any V4 signature from a
 * known access key): without this, a URL presigned for one key could write another, or with another content type.
 * The request is signed again with the SDK's own signer, from what the URL says was signed, and the signatures
 * compared.
 */
export async function presignedSignatureMatches(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<boolean> {
  const [path, search = ''] = request.url.split('?', 2) as [string, string | undefined];
  const params = new URLSearchParams(search);
  const provided = params.get('X-Amz-Signature');
  const credential = params.get('X-Amz-Credential')?.split('/') ?? [];
  const [accessKeyId, , region, service] = credential;
  const date = params.get('X-Amz-Date') ?? '';
  const expires = Number(params.get('X-Amz-Expires'));
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  if (!provided || accessKeyId !== credentials.accessKeyId || !region || !service || !Number.isInteger(expires)) {
    return false;
  }
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  if (Number.isNaN(signingDate.getTime())) return false;

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return false;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    if (key === 'X-Amz-Signature') continue;
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  // The payload hash travels in the query (UNSIGNED-PAYLOAD for S3); the signer reads it from a header of the same
  // name, then hoists it back into the query, keeping the name's case (which orders the canonical query).
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() !== 'x-amz-content-sha256') continue;
    headers[key] = String(query[key]);
    delete query[key];
  }
  const host = headers.host ?? String(request.headers.host ?? '');
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: host.split(':')[0] ?? '',
    path,
    query,
    headers,
  };
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.presign(unsigned, {
    signingDate,
    expiresIn: expires,
    signableHeaders: new Set(signedHeaders),
    unhoistableHeaders: new Set(signedHeaders),
  });
  const expected = String(signed.query?.['X-Amz-Signature'] ?? '');
  return expected.length === provided.length && timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
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
