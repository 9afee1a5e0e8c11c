import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import PostalMime from 'postal-mime';
import { bareAddresses } from './ses';

/** An email of the local mailbox, as its `.eml` file says. */
export interface MailboxMessage {
  /** SES's message id (the file's name). */
  messageId: string;
  /** The random part of the id, which `tillflow mail` prints and `show` takes. */
  shortId: string;
  path: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** The Date header (ISO 8601). */
  date: string;
  /** The X-Tillflow-Date header: the business date a report is about; undefined for other messages. */
  businessDate: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

/** The folder of the local SES's messages (`SesMailbox`, packages/local/src/servers/ses.ts). */
export function mailboxDir(stateDir: string): string {
  return join(stateDir, 'ses');
}

/** Reads one `.eml` file with postal-mime (a MIME parser independent of the builder that wrote it). */
export async function readMessage(path: string): Promise<MailboxMessage> {
  const email = await PostalMime.parse(readFileSync(path));
  const messageId = basename(path, '.eml');
  const header = (name: string) => email.headers.find((h) => h.key === name)?.value;
  return {
    messageId,
    shortId: messageId.split('-')[1]?.slice(0, 8) ?? messageId,
    path,
    from: bareAddresses(email.from ? [email.from] : [])[0] ?? '',
    to: bareAddresses(email.to),
    cc: bareAddresses(email.cc),
    bcc: bareAddresses(email.bcc),
    subject: email.subject ?? '',
    date: email.date ?? '',
    businessDate: header('x-tillflow-date'),
    text: email.text,
    html: email.html,
  };
}

/**
 * The messages of the local mailbox under `stateDir`, oldest first (the file names begin with the time), only those
 * about or sent on `date` when given (`tillflow mail --help`). The local gateway's `GET /local/mail` answers them
 * (`localRoutes`).
 */
export async function readMailbox(stateDir: string, filter: { date?: string } = {}): Promise<MailboxMessage[]> {
  const dir = mailboxDir(stateDir);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  const messages = await Promise.all(files.map((f) => readMessage(join(dir, f))));
  return messages.filter((m) => !filter.date || (m.businessDate ?? m.date.slice(0, 10)) === filter.date);
}
