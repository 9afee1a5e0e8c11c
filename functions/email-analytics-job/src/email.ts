import { renderJobEmail, viewJob } from '@tillflow/analytics';
import { type EmailSettings, getAnalyticsJob, markJobEmailed, sendEmail } from '@tillflow/aws';

/** What the email step did: sent, skipped (the job has not ended, or its email is out already), or off. */
export type JobEmailOutcome =
  | { status: 'sent'; messageId: string; recipients: number; jobStatus: 'SUCCEEDED' | 'FAILED' }
  | { status: 'skipped'; reason: 'not-ended' | 'sent-already' }
  | { status: 'off' };

/**
 * Emails an ended job's outcome (its figures' head, or its failure) to the configured recipients through SES, once:
 * the job record keeps the message id (markJobEmailed), and a record that has one is not emailed again. No
 * recipients configured: nothing is sent (`off`), as for the daily report.
 */
export async function emailJobOutcome(
  jobId: string,
  where: { bucket: string; table: string; linkSeconds: number },
  email: EmailSettings | undefined,
): Promise<JobEmailOutcome> {
  if (!email) return { status: 'off' };
  const job = await getAnalyticsJob(where.table, jobId, Math.floor(Date.now() / 1000));
  if (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') return { status: 'skipped', reason: 'not-ended' };
  if (job.email_message_id) return { status: 'skipped', reason: 'sent-already' };
  const view = await viewJob(where.bucket, job, where.linkSeconds);
  const message = renderJobEmail(view, `/analytics/jobs/${jobId}`);
  const messageId = await sendEmail({
    from: email.sender,
    to: email.recipients,
    ...message,
    headers: { 'X-Tillflow-Job': jobId, 'X-Tillflow-Job-Status': job.status },
  });
  await markJobEmailed(where.table, jobId, messageId);
  return { status: 'sent', messageId, recipients: email.recipients.length, jobStatus: job.status };
}
