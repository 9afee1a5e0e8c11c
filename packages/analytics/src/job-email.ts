import { escapeHtml } from '@tillflow/core';
import type { JobView } from './jobs';

/** How many result rows the email shows: the head of the result; the rest is behind the job's link. */
export const EMAIL_ROWS = 10;

/** A job's email: its subject, HTML part and plain-text alternative. */
export interface JobEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The email telling that a job ended: its operation, parameters, status and times; when it succeeded, its row count
 * and first {@link EMAIL_ROWS} rows as a table (or the note that the rows are behind a link); when it failed, the
 * error and its reason. Every value is escaped: parameters and rows carry store and marketplace text.
 */
export function renderJobEmail(view: JobView, apiPath: string): JobEmail {
  const ok = view.status === 'SUCCEEDED';
  const subject = `Tillflow analytics job ${view.operation} ${ok ? 'succeeded' : 'failed'} (${view.job_id})`;
  const facts: [string, string][] = [
    ['Job', view.job_id],
    ['Operation', view.operation],
    ['Parameters', JSON.stringify(view.parameters)],
    ['Status', view.status],
    ['Requested by', view.requester],
    ['Engine', view.engine],
    ['Created', view.created_at],
    ['Finished', view.finished_at ?? ''],
  ];
  if (ok) facts.push(['Rows', String(view.row_count ?? 0)], ['Cached', view.cached ? 'yes' : 'no']);
  if (view.error) facts.push(['Error', view.error.name], ['Reason', view.error.message]);
  facts.push(['Result', apiPath]);

  const rows = view.result?.rows.slice(0, EMAIL_ROWS) ?? [];
  const columns = view.result?.columns.map((c) => c.name) ?? [];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const more = (view.row_count ?? 0) > rows.length;
  const note = ok && more ? `The first ${rows.length} of ${view.row_count} rows; all of them at ${apiPath}.` : '';

  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(subject)}</h2>`,
    '<table cellpadding="4">',
    ...facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    ...(rows.length > 0
      ? [
          '<table border="1" cellpadding="4" style="border-collapse:collapse;margin-top:1em">',
          `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`,
          ...rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell(r[c]))}</td>`).join('')}</tr>`),
          '</table>',
        ]
      : []),
    note ? `<p>${escapeHtml(note)}</p>` : '',
    '</body></html>',
  ].join('\n');

  const text = [
    subject,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    ...(rows.length > 0 ? ['', columns.join('\t'), ...rows.map((r) => columns.map((c) => cell(r[c])).join('\t'))] : []),
    ...(note ? ['', note] : []),
    '',
  ].join('\n');
  return { subject, html, text };
}
