import { type PublicationLease, publish, publishOnce } from '@tillflow/aws';
import type { PublicationOutput } from '@tillflow/core';
import type { NoticeEvent } from './event';

/** A notice ready to publish: the topic it goes to, the marker that keeps it to once per revision, its text. */
export interface Notice {
  topic: 'report' | 'alerts';
  output: PublicationOutput;
  subject: string;
  message: string;
}

/** The notice of an event; the wording is the one daily-analysis published before it moved here. */
export function noticeOf(event: NoticeEvent): Notice {
  switch (event.notice) {
    case 'no-data':
      return {
        topic: 'report',
        output: 'no_data_notice',
        subject: `Tillflow daily report ${event.date}: no data`,
        message:
          `No store has figures for ${event.date} (daily-analysis revision ${event.revision}), ` +
          'so there is no daily report for that day.',
      };
    case 'partial-failure':
      return {
        topic: 'alerts',
        output: 'partial_failure_notice',
        subject: `Tillflow daily-analysis ${event.date} r${event.revision}: partial failure`,
        message: event.message,
      };
  }
}

/** What the step did: published the notice, or skipped it as already published for this revision or a later one. */
export type NoticeResult =
  | { status: 'published'; notice: NoticeEvent['notice']; messageId: string }
  | { status: 'skipped'; notice: NoticeEvent['notice']; reason: 'published' | 'superseded'; revision: number };

/** Publishes the event's notice to its topic, once per date, revision and kind (`publishOnce`). */
export async function publishNotice(
  topics: { report: string; alerts: string },
  event: NoticeEvent,
  lease: PublicationLease,
): Promise<NoticeResult> {
  const notice = noticeOf(event);
  const done = await publishOnce(lease, event, notice.output, () =>
    publish(topics[notice.topic], notice.subject, notice.message),
  );
  return done.status === 'published'
    ? { status: 'published', notice: event.notice, messageId: done.value }
    : { status: 'skipped', notice: event.notice, reason: done.reason, revision: done.revision };
}
