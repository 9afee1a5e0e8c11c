import { snsClient } from './clients/sns';

/** A subject SNS accepts: at most 100 printable ASCII characters, without line breaks (others become spaces). */
export function snsSubject(subject: string): string {
  return subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100);
}

/**
 * Publishes a notification; returns the message id. `attributes` travel as String message attributes (for example
 * an HTML body for subscribers that render it); SNS counts them in its 256 KB message limit.
 */
export async function publish(
  topicArn: string,
  subject: string,
  message: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const messageAttributes = Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
  const { PublishCommand } = await import('@aws-sdk/client-sns');
  const out = await (await snsClient()).send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: snsSubject(subject),
      Message: message,
      ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}),
    }),
  );
  return out.MessageId ?? '';
}
