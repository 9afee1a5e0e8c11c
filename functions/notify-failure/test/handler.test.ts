import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

describe('notify-failure', () => {
  it('publishes the error and the message of a Lambda cause to the alerts topic', async () => {
    const cause = JSON.stringify({ errorType: 'NotFoundError', errorMessage: 's3://b/k does not exist', trace: [] });
    const out = (await platform.invoke('notify-failure', {
      workflow: 'upload-processor',
      subject: 'uploads/store_0001_2025-10-29.json',
      error: { Error: 'NotFoundError', Cause: cause },
    })) as { notified: boolean; messageId: string };
    expect(out.notified).toBe(true);
    const [message] = platform.messages('tillflow-alerts');
    expect(message?.messageId).toBe(out.messageId);
    expect(message?.subject).toBe('Tillflow upload-processor failed: NotFoundError');
    expect(message?.message).toContain('Subject: uploads/store_0001_2025-10-29.json');
    expect(message?.message).toContain('Cause: s3://b/k does not exist');
    expect(message?.message).not.toContain('errorType');
  });
});

describe('notify-failure from a Catch', () => {
  it('names the step whose Catch fired, from the state name the Catch wrote its error under', async () => {
    const before = platform.messages('tillflow-alerts').length;
    const cause = JSON.stringify({ errorType: 'TransientError', errorMessage: 'SlowDown: Please reduce', trace: [] });
    await platform.invoke('notify-failure', {
      workflow: 'upload-processor',
      subject: 'uploads/store_0002_2025-10-29.json',
      failure: { ProcessUpload: { Error: 'TransientError', Cause: cause } },
    });
    const alerts = platform.messages('tillflow-alerts').slice(before);
    expect(alerts.map((m) => m.subject)).toEqual(['Tillflow upload-processor failed at ProcessUpload: TransientError']);
    expect(alerts[0]?.message.split('\n')).toEqual([
      'Workflow: upload-processor',
      'Step: ProcessUpload',
      'Subject: uploads/store_0002_2025-10-29.json',
      'Error: TransientError',
      'Cause: SlowDown: Please reduce',
    ]);
  });
});
