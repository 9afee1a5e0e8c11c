import {
  type EmailSettings,
  type PublicationLease,
  publish,
  publishOnce,
  putObject,
  queryDayQuality,
  readFactsAndInsights,
  sendEmail,
} from '@tillflow/aws';
import { dayQuality, reportKeys, ValidationError } from '@tillflow/core';
import type { ReportEvent } from './event';
import { type Report, renderReport } from './report';

/**
 * The email part of the step: sent, skipped because this revision's email (or a later one's) is already out, or off
 * (no recipients configured).
 */
export type EmailOutcome =
  | { status: 'sent'; messageId: string; recipients: number }
  | { status: 'skipped'; reason: 'published' | 'superseded'; revision: number }
  | { status: 'off' };

/**
 * What the step did: published the report, or skipped it because this revision's report (or a later one's) is
 * already out (see `publishOnce` in packages/aws/src/publications.ts), and the same for its email. The keys are the
 * day's report either way.
 */
export type ReportResult =
  | { status: 'published'; textKey: string; htmlKey: string; messageId: string; subject: string; email: EmailOutcome }
  | {
      status: 'skipped';
      textKey: string;
      htmlKey: string;
      reason: 'published' | 'superseded';
      revision: number;
      email: EmailOutcome;
    };

/** SNS takes 256 KB per message, attributes included; the HTML rides along only when it fits with room to spare. */
const HTML_ATTRIBUTE_LIMIT_BYTES = 200 * 1024;

/** Where the report is published and what it says about the stores. */
export interface ReportTargets {
  bucket: string;
  /** The sales table: the day's data-quality items. */
  table: string;
  topicArn: string;
  expectedStores: readonly string[];
  /** Undefined: no email. */
  email: EmailSettings | undefined;
}

/**
 * The day's report, once per date and revision on each channel: the report topic (SNS) and, when recipients are
 * configured, an HTML email (SES). Each channel has its own marker (`report`, `report_email`), claimed before sending
 * ({@link publishOnce}), so that two runs of one revision send one message each, and an email that failed (an
 * unverified sender) is sent by the retry or the redrive without publishing the SNS report again. The report is
 * rendered from the facts only when a channel sends, and once for both.
 */
export async function generateReport(
  targets: ReportTargets,
  event: ReportEvent,
  lease: PublicationLease,
): Promise<ReportResult> {
  const keys = reportKeys(event.date);
  let rendered: Promise<Report> | undefined;
  const render = () => {
    rendered ??= renderDay(targets, event);
    return rendered;
  };
  const done = await publishOnce(lease, event, 'report', async () =>
    storeAndPublish(targets.bucket, targets.topicArn, event.date, await render()),
  );
  const email = targets.email ? await emailOnce(targets.email, event, lease, render) : { status: 'off' as const };
  return done.status === 'published'
    ? { status: 'published', ...done.value, email }
    : {
        status: 'skipped',
        textKey: keys.text,
        htmlKey: keys.html,
        reason: done.reason,
        revision: done.revision,
        email,
      };
}

/** Renders the day's report from its facts and insights (nothing is written). */
async function renderDay(targets: ReportTargets, event: ReportEvent): Promise<Report> {
  const [{ facts, insights }, stored] = await Promise.all([
    readFactsAndInsights(targets.bucket, event),
    queryDayQuality(targets.table, event.date),
  ]);
  const company = facts.company.find((c) => c.date === event.date);
  if (!company) throw new ValidationError(`the facts of ${event.date} hold no company figures for that date`);
  return renderReport({
    date: event.date,
    revision: event.revision,
    company,
    products: facts.products.find((p) => p.date === event.date),
    insights,
    expectedStores: targets.expectedStores,
    reportedStores: facts.stores.map((s) => s.store_id),
    quality: dayQuality({ date: event.date, ...stored, expectedStores: targets.expectedStores }),
  });
}

/**
 * Keeps both forms of the report under `reports/` and publishes the text to the report topic with the HTML (or, when
 * too large, only its key) as message attributes for email subscribers. Only the SNS publication writes the
 * objects: an email sent late for an older revision must not put that revision's report over a newer one.
 */
async function storeAndPublish(
  bucket: string,
  topicArn: string,
  date: string,
  report: Report,
): Promise<{ textKey: string; htmlKey: string; messageId: string; subject: string }> {
  const keys = reportKeys(date);
  await Promise.all([
    putObject(bucket, keys.text, report.text, 'text/plain; charset=utf-8'),
    putObject(bucket, keys.html, report.html, 'text/html; charset=utf-8'),
  ]);
  const fits = Buffer.byteLength(report.text) + Buffer.byteLength(report.html) <= HTML_ATTRIBUTE_LIMIT_BYTES;
  const messageId = await publish(topicArn, report.subject, report.text, {
    report_html_key: keys.html,
    ...(fits ? { report_html: report.html } : {}),
  });
  return { textKey: keys.text, htmlKey: keys.html, messageId, subject: report.subject };
}

/**
 * The report as an HTML email with its text alternative, once per date and revision (marker `report_email`). The
 * `X-Tillflow-Date` and `X-Tillflow-Revision` headers say which day and revision it reports, for mailbox filters
 * (and `tillflow mail --date`).
 */
async function emailOnce(
  settings: EmailSettings,
  event: ReportEvent,
  lease: PublicationLease,
  render: () => Promise<Report>,
): Promise<EmailOutcome> {
  const done = await publishOnce(lease, event, 'report_email', async () => {
    const report = await render();
    return sendEmail({
      from: settings.sender,
      to: settings.recipients,
      subject: report.subject,
      html: report.html,
      text: report.text,
      headers: { 'X-Tillflow-Date': event.date, 'X-Tillflow-Revision': String(event.revision) },
    });
  });
  return done.status === 'published'
    ? { status: 'sent', messageId: done.value, recipients: settings.recipients.length }
    : { status: 'skipped', reason: done.reason, revision: done.revision };
}
