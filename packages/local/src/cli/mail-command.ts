import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCalendarDate } from '@tillflow/core';
import { REPO_ROOT } from '../platform';
import { type MailboxMessage, mailboxDir, readMailbox } from '../servers/mailbox';
import type { CommandOutput } from './command';
import { formatTable } from './lake-command';
import { parseSubcommand } from './subcommand';

/** What `tillflow mail --help` prints. */
export const MAIL_USAGE = `Usage: tillflow mail [--date D]          (npm start -- mail [options])
       tillflow mail show <id> [--html | --raw]

Lists the emails the local SES accepted (the daily report's among them), oldest first: one .eml file each under
<state>/ses/, an RFC 5322 message any mail client opens. "show" prints one: its headers and text part, its HTML
part with --html, or the whole file with --raw. An id is the short id of the list, or any unique part of the
message id. Reads the files only: the platform need not run.

Options (environment variable in brackets):
  --date D                only the messages about business date D (their X-Tillflow-Date header), or, for a
                          message without that header, sent on D (UTC)
  --state-dir DIR         the platform's state folder, default .tillflow/  [TILLFLOW_STATE_DIR]
  --html                  show: the HTML part instead of the text part
  --raw                   show: the .eml file as it is
  --help                  this text`;

/**
 * `tillflow mail [--date D]` and `tillflow mail show <id> [--html|--raw]`: the local SES's messages, from their files.
 * Resolves with the exit code: 0, 1 when no message matches, 2 for a bad command line.
 */
export async function runMailCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: CommandOutput },
): Promise<number> {
  const { out, err } = options.output;
  const env = options.env ?? process.env;
  const usage = (message: string): number => {
    err(`tillflow mail: ${message}\n\n${MAIL_USAGE}`);
    return 2;
  };
  const line = parseSubcommand(
    argv,
    {
      name: 'mail',
      usage: MAIL_USAGE,
      positionals: true,
      options: {
        date: { type: 'string' },
        'state-dir': { type: 'string' },
        html: { type: 'boolean' },
        raw: { type: 'boolean' },
      },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const date = values.date as string | undefined;
  if (date !== undefined && !isCalendarDate(date)) return usage(`--date takes a date YYYY-MM-DD, got "${date}"`);
  const stateDir = resolve(
    (values['state-dir'] as string | undefined) ?? env.TILLFLOW_STATE_DIR ?? join(REPO_ROOT, '.tillflow'),
  );
  const messages = await readMailbox(stateDir, date ? { date } : {});
  if (positionals[0] === 'show') {
    if (positionals.length !== 2) return usage('name one message: tillflow mail show <id>');
    if (values.html && values.raw) return usage('--html and --raw: choose one');
    return show(messages, positionals[1] as string, values, options.output);
  }
  if (positionals.length > 0) return usage(`unknown subcommand "${positionals[0]}"`);
  if (values.html || values.raw) return usage('--html and --raw go with show');
  if (messages.length === 0) {
    err(`tillflow mail: no message${date ? ` about ${date}` : ''} in ${mailboxDir(stateDir)}`);
    return 1;
  }
  const rows = messages.map((m) => [
    m.shortId,
    m.date.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
    m.businessDate ?? '',
    [...m.to, ...m.cc, ...m.bcc].join(', '),
    m.subject,
  ]);
  for (const line of formatTable(['ID', 'SENT (UTC)', 'DATE', 'TO', 'SUBJECT'], rows)) out(line);
  return 0;
}

function show(
  messages: readonly MailboxMessage[],
  id: string,
  values: Record<string, string | boolean | undefined>,
  output: CommandOutput,
): number {
  const wanted = id.toLowerCase();
  const found = messages.filter((m) => m.messageId.toLowerCase().includes(wanted));
  if (found.length !== 1) {
    output.err(
      found.length === 0
        ? `tillflow mail: no message has the id "${id}" (tillflow mail lists them)`
        : `tillflow mail: "${id}" is part of ${found.length} message ids: give more of it`,
    );
    return 1;
  }
  const m = found[0] as MailboxMessage;
  if (values.raw) {
    output.out(readFileSync(m.path, 'utf8').trimEnd());
    return 0;
  }
  if (values.html) {
    if (m.html === undefined) {
      output.err(`tillflow mail: message ${m.shortId} has no HTML part`);
      return 1;
    }
    output.out(m.html.trimEnd());
    return 0;
  }
  const lines = [
    `File:       ${m.path}`,
    `Message-ID: ${m.messageId}`,
    `Date:       ${m.date}`,
    `From:       ${m.from}`,
    `To:         ${m.to.join(', ')}`,
    ...(m.cc.length > 0 ? [`Cc:         ${m.cc.join(', ')}`] : []),
    ...(m.bcc.length > 0 ? [`Bcc:        ${m.bcc.join(', ')}`] : []),
    `Subject:    ${m.subject}`,
    ...(m.businessDate ? [`Reports on: ${m.businessDate}`] : []),
    '',
    (m.text ?? '(no text part: --html shows the HTML part)').trimEnd(),
  ];
  for (const line of lines) output.out(line);
  return 0;
}
