import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import PostalMime, { type Address, addressParser } from 'postal-mime';
import { REGION } from '../resources';
import { readSignedBody } from './api-auth';
import { BodyTooLargeError, send } from './http';

/** A message the local SES accepted, as written to `<state>/ses/<messageId>.eml`. */
export interface SentEmail {
  messageId: string;
  /** The `.eml` file: the whole RFC 5322 message, Bcc header kept (it is the sender's copy). */
  path: string;
  from: string;
  /** Every recipient (To, Cc and Bcc), bare addresses. */
  recipients: string[];
  subject: string;
  /** When SES accepted it (ISO 8601). */
  sentAt: string;
}

/** An error of the SES v2 API: its error type (the SDK's exception name) and HTTP status. */
class SesApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

/** SES v2's limits: 50 recipients per message, 40 MB per message (after base64 in JSON, a little more on the wire). */
const MAX_RECIPIENTS = 50;
const MESSAGE_LIMIT_BYTES = 40 * 1024 * 1024;
const BODY_LIMIT_BYTES = Math.ceil((MESSAGE_LIMIT_BYTES * 4) / 3) + 1024 * 1024;

/** Headers SES builds itself, which Simple content's `Headers` may not set. */
const RESERVED_HEADERS = new Set(
  [
    'from',
    'to',
    'cc',
    'bcc',
    'subject',
    'reply-to',
    'sender',
    'return-path',
    'message-id',
    'date',
    'mime-version',
    'content-type',
    'content-transfer-encoding',
    'content-disposition',
  ].map((h) => h.toLowerCase()),
);

/** Where the messages go and which identities may send. */
export interface SesMailboxOptions {
  /** Folder of the `.eml` files. */
  dir: string;
  /**
   * The verified identities: addresses, or domains whose every address may send. A sender of no identity is refused
   * with `MessageRejected`, as in AWS.
   */
  identities: readonly string[];
  /** Called for each message accepted (the CLI prints a line). */
  onMessage?: (message: SentEmail) => void;
}

/**
 * The local SES account: verified identities and a mailbox folder. Nothing is delivered: every accepted message is
 * written as an RFC 5322 `.eml` file (open it with a mail client, or `tillflow mail show`) and kept in memory for
 * tests.
 */
export class SesMailbox {
  private readonly accepted: SentEmail[] = [];
  private readonly identities: Set<string>;

  constructor(private readonly options: SesMailboxOptions) {
    this.identities = new Set(options.identities.map((i) => i.toLowerCase()));
    mkdirSync(options.dir, { recursive: true });
  }

  /** Messages accepted since start, oldest first. */
  messages(): SentEmail[] {
    return [...this.accepted];
  }

  /** SendEmail: checks the request as SES does, writes the message, returns its record. */
  async sendEmail(body: Record<string, unknown>): Promise<SentEmail> {
    const content = objectField(body, 'Content', true) as Record<string, unknown>;
    const kinds = ['Simple', 'Raw', 'Template'].filter((k) => content[k] !== undefined);
    if (kinds.length !== 1) {
      throw new SesApiError('BadRequestException', 'Content must have exactly one of Simple, Raw or Template');
    }
    if (kinds[0] === 'Template') {
      throw new SesApiError('BadRequestException', 'the local SES does not keep templates: send Simple or Raw content');
    }
    const destination = objectField(body, 'Destination', false) as Record<string, unknown> | undefined;
    const listed = {
      to: addressList(destination, 'ToAddresses'),
      cc: addressList(destination, 'CcAddresses'),
      bcc: addressList(destination, 'BccAddresses'),
    };
    const messageId = sesMessageId();
    const sentAt = new Date();
    const message =
      kinds[0] === 'Simple'
        ? await this.composeSimple(body, content.Simple, listed, messageId, sentAt)
        : await this.readRaw(body, content.Raw, listed, messageId, sentAt);
    if (message.recipients.length === 0) {
      throw new SesApiError('BadRequestException', 'Missing final @domain: the message has no recipient');
    }
    if (message.recipients.length > MAX_RECIPIENTS) {
      throw new SesApiError('MessageRejected', `Recipient count exceeds ${MAX_RECIPIENTS}.`);
    }
    if (message.bytes.length > MESSAGE_LIMIT_BYTES) {
      throw new SesApiError('MessageRejected', 'Message length is more than 40 MB.');
    }
    this.checkVerified(message.from);
    const path = join(this.options.dir, `${messageId}.eml`);
    // Written aside then renamed: a reader listing the folder never sees half a message.
    const temp = `${path}.tmp`;
    writeFileSync(temp, message.bytes);
    renameSync(temp, path);
    const record: SentEmail = {
      messageId,
      path,
      from: message.from,
      recipients: message.recipients,
      subject: message.subject,
      sentAt: sentAt.toISOString(),
    };
    this.accepted.push(record);
    this.options.onMessage?.(record);
    return record;
  }

  /**
   * Simple content as SES sends it: a multipart/alternative message (text, then HTML) built by nodemailer's
   * MailComposer, a kept MIME builder (header encoding, line folding and quoted-printable are easy to get subtly
   * wrong by hand). The Bcc header is kept: the file is the sender's copy, and Bcc recipients must show in it.
   */
  private async composeSimple(
    body: Record<string, unknown>,
    simple: unknown,
    listed: Record<'to' | 'cc' | 'bcc', string[]>,
    messageId: string,
    sentAt: Date,
  ): Promise<ComposedMessage> {
    if (typeof simple !== 'object' || simple === null) {
      throw new SesApiError('BadRequestException', 'Content.Simple must be an object');
    }
    const s = simple as Record<string, unknown>;
    const subject = textContent(s.Subject, 'Content.Simple.Subject');
    if (subject === undefined) throw new SesApiError('BadRequestException', 'Content.Simple.Subject is required');
    const parts = (typeof s.Body === 'object' && s.Body !== null ? s.Body : {}) as Record<string, unknown>;
    const text = textContent(parts.Text, 'Content.Simple.Body.Text');
    const html = textContent(parts.Html, 'Content.Simple.Body.Html');
    if (text === undefined && html === undefined) {
      throw new SesApiError('BadRequestException', 'Content.Simple.Body needs Text or Html');
    }
    const from = requiredAddress(body.FromEmailAddress, 'FromEmailAddress');
    const replyTo = addressList(body, 'ReplyToAddresses');
    const headers: Record<string, string> = {};
    for (const header of Array.isArray(s.Headers) ? (s.Headers as unknown[]) : []) {
      const { Name: name, Value: value } = (header ?? {}) as { Name?: unknown; Value?: unknown };
      if (typeof name !== 'string' || !/^[!-9;-~]+$/.test(name) || typeof value !== 'string' || /[\r\n]/.test(value)) {
        throw new SesApiError(
          'BadRequestException',
          'each of Content.Simple.Headers needs a Name and a one-line Value',
        );
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        throw new SesApiError('BadRequestException', `Content.Simple.Headers cannot set ${name}`);
      }
      headers[name] = value;
    }
    const node = new MailComposer({
      from,
      to: listed.to,
      cc: listed.cc,
      bcc: listed.bcc,
      ...(replyTo.length > 0 ? { replyTo } : {}),
      subject,
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
      headers,
      messageId: `<${messageId}@email.tillflow.local>`,
      date: sentAt,
    }).compile();
    node.keepBcc = true;
    const bytes = await node.build();
    return { bytes, from, subject, recipients: [...listed.to, ...listed.cc, ...listed.bcc] };
  }

  /**
   * Raw content: the caller's own MIME message, written as it came, with a Message-ID and a Date header put first
   * when it has none (SES adds both). Its From must be verified; its recipients are the Destination's when given,
   * else its To, Cc and Bcc headers (as SES does).
   */
  private async readRaw(
    body: Record<string, unknown>,
    raw: unknown,
    listed: Record<'to' | 'cc' | 'bcc', string[]>,
    messageId: string,
    sentAt: Date,
  ): Promise<ComposedMessage> {
    const data = (raw as { Data?: unknown } | null)?.Data;
    if (typeof data !== 'string' || data === '') {
      throw new SesApiError('BadRequestException', 'Content.Raw.Data must be the base64 of a MIME message');
    }
    const given = Buffer.from(data, 'base64');
    let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
    try {
      parsed = await PostalMime.parse(given);
    } catch (error) {
      throw new SesApiError('MessageRejected', `the raw message cannot be parsed: ${(error as Error).message}`);
    }
    const headerFrom = bareAddresses(parsed.from ? [parsed.from] : [])[0];
    const from =
      typeof body.FromEmailAddress === 'string'
        ? requiredAddress(body.FromEmailAddress, 'FromEmailAddress')
        : requiredAddress(headerFrom, 'the raw message From header');
    const fromDestination = [...listed.to, ...listed.cc, ...listed.bcc];
    const recipients =
      fromDestination.length > 0
        ? fromDestination
        : bareAddresses([...(parsed.to ?? []), ...(parsed.cc ?? []), ...(parsed.bcc ?? [])]);
    const has = (name: string) => parsed.headers.some((h) => h.key === name);
    const added = [
      ...(has('message-id') ? [] : [`Message-ID: <${messageId}@email.tillflow.local>`]),
      ...(has('date') ? [] : [`Date: ${sentAt.toUTCString().replace(/GMT$/, '+0000')}`]),
    ];
    const bytes = added.length > 0 ? Buffer.concat([Buffer.from(`${added.join('\r\n')}\r\n`), given]) : given;
    return { bytes, from, subject: parsed.subject ?? '', recipients };
  }

  private checkVerified(from: string): void {
    const address = from.toLowerCase();
    const domain = address.slice(address.lastIndexOf('@') + 1);
    if (this.identities.has(address) || this.identities.has(domain)) return;
    throw new SesApiError(
      'MessageRejected',
      `Email address is not verified. The following identities failed the check in region ${REGION.toUpperCase()}: ${from}`,
    );
  }
}

interface ComposedMessage {
  bytes: Buffer;
  from: string;
  subject: string;
  recipients: string[];
}

/**
 * A message id of SES's form: `0100` and the epoch milliseconds in hex, a random part, `-000000`. The time comes
 * first, so the `.eml` files sort by name in the order they were sent.
 */
function sesMessageId(): string {
  return `0100${Date.now().toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

function objectField(body: Record<string, unknown>, name: string, required: boolean): unknown {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SesApiError('BadRequestException', `${name} ${required ? 'is required and ' : ''}must be an object`);
  }
  return value;
}

/** `{Data, Charset}` content: its text (the JSON already holds it decoded, so the charset changes nothing here). */
function textContent(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const data = (value as { Data?: unknown } | null)?.Data;
  if (typeof data !== 'string') throw new SesApiError('BadRequestException', `${name}.Data must be a string`);
  return data;
}

/** The bare addresses of a list postal-mime parsed (groups flattened, display names dropped). */
export function bareAddresses(list: readonly Address[] | undefined): string[] {
  const found: string[] = [];
  for (const a of list ?? []) {
    if (a.group) for (const m of a.group) found.push(m.address);
    else if (a.address) found.push(a.address);
  }
  return found;
}

/** One address, `a@b.c` or `Name <a@b.c>`, as SES reads it; its bare address. */
function parseAddress(text: string, name: string): string {
  const parsed = bareAddresses(addressParser(text));
  const address = parsed[0];
  if (parsed.length !== 1 || !address || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw new SesApiError('BadRequestException', `${name}: "${text}" is not one email address`);
  }
  return address;
}

function requiredAddress(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new SesApiError('BadRequestException', `${name} is required`);
  return parseAddress(value, name);
}

function addressList(container: Record<string, unknown> | undefined, name: string): string[] {
  const value = container?.[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SesApiError('BadRequestException', `${name} must be a list of addresses`);
  }
  return (value as string[]).map((v) => parseAddress(v, name));
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

/**
 * The SES v2 API over HTTP, as @aws-sdk/client-sesv2 and `aws sesv2` speak it (REST-JSON: the operation is the
 * method and path, the body JSON, errors typed by the `x-amzn-errortype` header). Serves SendEmail
 * (`POST /v2/email/outbound-emails`) only; every request's SigV4 signature (service `ses`) is checked against the
 * local credentials, as the other local servers check theirs.
 */
export function sesApiListener(mailbox: SesMailbox): RequestListener {
  return async (req, res) => {
    const requestId = randomUUID();
    const headers = { 'content-type': 'application/json', 'x-amzn-requestid': requestId };
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'POST' || path !== SEND_EMAIL_PATH) {
        throw new SesApiError(
          'NotFoundException',
          `the local SES serves SendEmail (POST ${SEND_EMAIL_PATH}) only, not ${req.method} ${path}`,
          404,
        );
      }
      const signed = await readSignedBody(req, BODY_LIMIT_BYTES, {
        service: 'ses',
        protocol: 'json',
        refuse: (code, message) => new SesApiError(code, message, 403),
      });
      let body: unknown;
      try {
        body = JSON.parse(signed.toString('utf8') || '{}');
      } catch {
        throw new SesApiError('BadRequestException', 'the request body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new SesApiError('BadRequestException', 'the request body must be a JSON object');
      }
      const sent = await mailbox.sendEmail(body as Record<string, unknown>);
      send(res, 200, headers, JSON.stringify({ MessageId: sent.messageId }));
    } catch (error) {
      const e =
        error instanceof SesApiError
          ? error
          : error instanceof BodyTooLargeError
            ? new SesApiError('MessageRejected', 'Message length is more than 40 MB.')
            : new SesApiError('InternalFailure', (error as Error).message, 500);
      send(res, e.status, { ...headers, 'x-amzn-errortype': e.code }, JSON.stringify({ message: e.message }));
    }
  };
}
