import { PublishCommand } from '@aws-sdk/client-sns';
import { snsClient } from './clients/sns';

/** SNS limits a subject to 100 printable ASCII characters, without line breaks. */
function subjectLine(subject: string): string {
  return subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100);
}

/** Publishes a notification; returns the message id. */
export async function publish(topicArn: string, subject: string, message: string): Promise<string> {
  const out = await snsClient().send(
    new PublishCommand({ TopicArn: topicArn, Subject: subjectLine(subject), Message: message }),
  );
  return out.MessageId ?? '';
}
