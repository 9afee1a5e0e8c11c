import { ConfigError, ValidationError } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { type EmailMessage, emailSettings, SES_MAX_RECIPIENTS, sendEmail } from '../src/ses';

const message: EmailMessage = {
  from: 'reports@example.com',
  to: ['ops@example.com'],
  subject: 'Daily report',
  html: '<p>x</p>',
  text: 'x',
};

describe('sendEmail', () => {
  // Each of these is refused before any client is built or request sent: no endpoint is needed.
  it.each([
    ['no recipient', { to: [] }, 'at least one recipient'],
    [
      'too many recipients',
      { to: Array.from({ length: SES_MAX_RECIPIENTS + 1 }, (_, i) => `r${i}@example.com`) },
      'at most 50',
    ],
    ['a malformed recipient', { to: ['ops@example'] }, '"ops@example" is not an email address'],
    ['a malformed sender', { from: 'reports' }, '"reports" is not an email address'],
    ['an empty subject', { subject: ' ' }, 'needs a subject'],
    ['a header SES builds itself', { headers: { 'Reply-To': 'x@example.com' } }, 'only X-… names'],
    ['a header value with a line break', { headers: { 'X-Date': '2025-10-29\r\nBcc: all@example.com' } }, 'line break'],
  ])('refuses %s as a ValidationError naming it', async (_what, change, text) => {
    const sent = sendEmail({ ...message, ...change } as EmailMessage);
    await expect(sent).rejects.toBeInstanceOf(ValidationError);
    await expect(sent).rejects.toThrow(text);
  });
});

describe('emailSettings', () => {
  it('is off without recipients, and needs a sender when there are some', () => {
    expect(emailSettings(undefined, 'reports@example.com')).toBeUndefined();
    expect(emailSettings([], undefined)).toBeUndefined();
    expect(emailSettings(['ops@example.com'], 'reports@example.com')).toEqual({
      sender: 'reports@example.com',
      recipients: ['ops@example.com'],
    });
    expect(() => emailSettings(['ops@example.com'], undefined)).toThrow(ConfigError);
    expect(() => emailSettings(['ops@example.com'], undefined)).toThrow(/REPORT_EMAIL_SENDER/);
  });
});
