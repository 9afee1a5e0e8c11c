import { type PublicationLease, publish, publishOnce, putObject, readFactsAndInsights } from '@tillflow/aws';
import { reportKeys, ValidationError } from '@tillflow/core';
import type { ReportEvent } from './event';
import { renderReport } from './report';

/**
 * What the step did: published the report, or skipped it because this revision's report (or a later one's) is
 * already out (see `publishOnce` in packages/aws/src/publications.ts). The keys are the day's report either way.
 */
export type ReportResult =
  | { status: 'published'; textKey: string; htmlKey: string; messageId: string; subject: string }
  | { status: 'skipped'; textKey: string; htmlKey: string; reason: 'published' | 'superseded'; revision: number };

/** SNS takes 256 KB per message, attributes included; the HTML rides along only when it fits with room to spare. */
const HTML_ATTRIBUTE_LIMIT_BYTES = 200 * 1024;

/**
 * The day's report, once per date and revision: unless this revision's report is already published (a re-run of the
 * day), renders it ({@link renderAndPublish}) under a claim on the day status, so that two runs of one revision send
 * one message.
 */
export async function generateReport(
  bucket: string,
  topicArn: string,
  expectedStores: readonly string[],
  event: ReportEvent,
  lease: PublicationLease,
): Promise<ReportResult> {
  const keys = reportKeys(event.date);
  const done = await publishOnce(lease, event, 'report', () =>
    renderAndPublish(bucket, topicArn, expectedStores, event),
  );
  return done.status === 'published'
    ? { status: 'published', ...done.value }
    : { status: 'skipped', textKey: keys.text, htmlKey: keys.html, reason: done.reason, revision: done.revision };
}

/**
 * Renders the day's report from its facts and insights, keeps both forms under `reports/`, and publishes the text to
 * the report topic with the HTML (or, when too large, only its key) as message attributes for email subscribers.
 */
async function renderAndPublish(
  bucket: string,
  topicArn: string,
  expectedStores: readonly string[],
  event: ReportEvent,
): Promise<{ textKey: string; htmlKey: string; messageId: string; subject: string }> {
  const { facts, insights } = await readFactsAndInsights(bucket, event);
  const company = facts.company.find((c) => c.date === event.date);
  if (!company) throw new ValidationError(`the facts of ${event.date} hold no company figures for that date`);
  const report = renderReport({
    date: event.date,
    revision: event.revision,
    company,
    products: facts.products.find((p) => p.date === event.date),
    insights,
    expectedStores,
    reportedStores: facts.stores.map((s) => s.store_id),
  });
  const keys = reportKeys(event.date);
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
