import { ConfigError, ValidationError } from '@tillflow/core';
import { sesClient } from './clients/ses';
import { EMAIL_ADDRESS_RE } from './config';

/** SES v2 takes at most 50 recipients per message (To, Cc and Bcc together). */
export const SES_MAX_RECIPIENTS = 50;

/** Who sends and who receives an email a function sends: from `REPORT_EMAIL_SENDER` and `REPORT_EMAIL_RECIPIENTS`. */
export interface EmailSettings {
  sender: string;
  recipients: readonly string[];
}

/**
 * The email settings of a function from its configuration (`Env.REPORT_EMAIL_RECIPIENTS`, `Env.REPORT_EMAIL_SENDER`,
 * which Terraform sets from `report_email_recipients` and `report_email_sender`): undefined when no recipient is
 * configured (nothing is emailed). Recipients without a sender fail as a `ConfigError` naming both variables
 * (Terraform refuses the same with a precondition, so that is a deployment done by other means).
 *
 * @example
 * const email = emailSettings(config.REPORT_EMAIL_RECIPIENTS, config.REPORT_EMAIL_SENDER);
 * if (email) await sendEmail({ from: email.sender, to: email.recipients, subject, html, text });
 */
export function emailSettings(
  recipients: readonly string[] | undefined,
  sender: string | undefined,
): EmailSettings | undefined {
  if (!recipients || recipients.length === 0) return undefined;
  if (!sender) {
    throw new ConfigError('REPORT_EMAIL_RECIPIENTS is set but REPORT_EMAIL_SENDER is not: the email needs a From');
  }
  return { sender, recipients };
}

/** An HTML email with its plain-text alternative, as {@link sendEmail} sends it. */
export interface EmailMessage {
  /** The From address: an address of a verified SES identity (the address itself or its domain). */
  from: string;
  /** 1 to {@link SES_MAX_RECIPIENTS} addresses, all in To. */
  to: readonly string[];
  /** The subject line (UTF-8; SES encodes it). */
  subject: string;
  /** The HTML part. Everything that came from a store or a model must already be escaped in it. */
  html: string;
  /** The plain-text part, for clients that do not show HTML. */
  text: string;
  /**
   * Extra headers, `X-…` names only (SES refuses to let a caller set From, Subject and the like this way), for
   * example `X-Tillflow-Date` so that a mailbox can be filtered by the business date the message is about.
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Sends an HTML email through Amazon SES v2 (`SendEmail` with Simple content: SES builds the MIME message, so no
 * MIME library rides in the bundle); returns SES's message id. Checks what SES would refuse before calling it (no
 * recipient, too many, a malformed address or header), so that a configuration mistake fails as a
 * `ValidationError` naming it. SES's own refusals (an unverified sender, a sandboxed account, a paused account) keep
 * their SDK names (`MessageRejected`, …); its throttling is retried by the workflows as `TransientError` (see
 * `toWorkflowError`).
 *
 * Not idempotent by itself: SES has no deduplication, so a caller that must send once (the daily report) wraps the
 * call in `publishOnce` (packages/aws/src/publications.ts).
 *
 * @example
 * const messageId = await sendEmail({
 *   from: 'reports@example.com',
 *   to: ['ops@example.com'],
 *   subject: 'Analytics job 42 succeeded',
 *   html: `<p>${escapeHtml(summary)}</p>`,
 *   text: summary,
 *   headers: { 'X-Tillflow-Job': '42' },
 * });
 */
export async function sendEmail(message: EmailMessage): Promise<string> {
  checkMessage(message);
  const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  const headers = Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
  const out = await (await sesClient()).send(
    new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [...message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: message.html, Charset: 'UTF-8' }, Text: { Data: message.text, Charset: 'UTF-8' } },
          ...(headers.length > 0 ? { Headers: headers } : {}),
        },
      },
    }),
  );
  return out.MessageId ?? '';
}

function checkMessage(message: EmailMessage): void {
  if (message.to.length === 0) throw new ValidationError('an email needs at least one recipient');
  if (message.to.length > SES_MAX_RECIPIENTS) {
    throw new ValidationError(
      `SES takes at most ${SES_MAX_RECIPIENTS} recipients per message, got ${message.to.length}`,
    );
  }
  for (const address of [message.from, ...message.to]) {
    if (!EMAIL_ADDRESS_RE.test(address)) throw new ValidationError(`"${address}" is not an email address`);
  }
  if (message.subject.trim() === '') throw new ValidationError('an email needs a subject');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^X-[A-Za-z0-9-]+$/.test(name)) throw new ValidationError(`header "${name}": only X-… names can be added`);
    if (/[\r\n]/.test(value)) throw new ValidationError(`header "${name}": a value cannot hold a line break`);
  }
}
