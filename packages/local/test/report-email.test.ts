import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalMailResponse, type Platform, REGION, startTestPlatform } from '../src';
import type { CommandOutput } from '../src/cli/command';
import { runMailCommand } from '../src/cli/mail-command';
import { analysisRuns, getItem, putStoreFile, STORES, sampleFile, storeSummaries, sumCents } from './analysis-helpers';

/**
 * The daily report by email on the local platform: generate-report sends it through the SES v2 SDK to the local SES
 * server, which writes it as an `.eml` file; the file is read back with postal-mime (not the MIME builder that wrote
 * it). The sample day's files carry a product name with markup, as a store's till could send it.
 */
const date = '2025-10-29';
const RECIPIENTS = ['ops@example.com', 'finance@example.com'];
const SENDER = 'reports@tillflow.example.com';
const PRODUCT = 'Papa Smurf Plush 30cm';
const HOSTILE = 'Papa Smurf <script>alert(1)</script>';

let platform: Platform;
const mailDir = () => join(platform.stateDir, 'ses');
/** The `.eml` files about the day (their X-Tillflow-Date header), read back with postal-mime. */
const reportFiles = async () => {
  const files = readdirSync(mailDir()).filter((f) => f.endsWith('.eml'));
  const parsed = await Promise.all(
    files.map(async (f) => ({ f, email: await PostalMime.parse(readFileSync(join(mailDir(), f))) })),
  );
  return parsed.filter((p) => p.email.headers.some((h) => h.key === 'x-tillflow-date' && h.value === date));
};
const reportsSent = () => platform.emails().filter((m) => m.subject.startsWith(`Tillflow daily report ${date}`));

beforeAll(async () => {
  platform = await startTestPlatform({ reportEmail: { recipients: RECIPIENTS, sender: SENDER } });
  const files = STORES.map((s) =>
    sampleFile(s, date).replaceAll(`"item_name": "${PRODUCT}"`, `"item_name": "${HOSTILE}"`),
  );
  expect(files.filter((f) => f.includes(HOSTILE)).length).toBeGreaterThan(0);
  await Promise.all(STORES.map((s, i) => putStoreFile(platform, s, date, files[i] as string)));
  await platform.waitForIdle();
}, 180_000);

afterAll(() => platform?.stop());

function capture(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** 12345.6 → "12,345.60", as a reader of the report sees an amount. */
const amount = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('the daily report by email', () => {
  it('writes one .eml to the configured recipients, with the net sales that DynamoDB holds', async () => {
    expect(analysisRuns(platform, date).map((r) => r.status)).toEqual(['SUCCEEDED']);
    const files = await reportFiles();
    expect(files).toHaveLength(1);
    expect(reportsSent()).toHaveLength(1);
    const email = files[0]?.email as Awaited<ReturnType<typeof PostalMime.parse>>;
    expect(email.from?.address).toBe(SENDER);
    expect((email.to ?? []).map((a) => a.address)).toEqual(RECIPIENTS);
    expect(email.headers.find((h) => h.key === 'x-tillflow-date')?.value).toBe(date);
    expect(email.headers.find((h) => h.key === 'x-tillflow-revision')?.value).toBe('1');
    expect(email.headers.find((h) => h.key === 'mime-version')?.value).toBe('1.0');
    expect(email.messageId).toMatch(/^<0100[0-9a-f]{12}-[0-9a-f-]{36}-000000@/);

    const company = await getItem(platform, 'COMPANY', `DATE#${date}`);
    const net = company?.net_sales as number;
    // The stored figure is the sum of the store summaries (computed apart here, in cents).
    expect(Math.round(net * 100)).toBe(sumCents((await storeSummaries(platform, date)).map((s) => s.net_sales)));
    expect(email.subject).toBe(`Tillflow daily report ${date}: net sales ${amount(net)}, 11/11 stores`);
    expect(email.html).toContain(`<tr><td>Net sales</td><td>${amount(net)}</td></tr>`);
    expect(email.text).toMatch(new RegExp(`Net sales\\s+${amount(net).replace('.', '\\.')}\\n`));
  });

  it('escapes a product name with markup in the HTML part and keeps it as text in the text part', async () => {
    const products = await getItem(platform, 'PRODUCTS', `DATE#${date}`);
    const top = ((products?.top ?? []) as { name: string }[]).slice(0, 10).map((p) => p.name);
    expect(top).toContain(HOSTILE);
    const [file] = await reportFiles();
    const email = file?.email as Awaited<ReturnType<typeof PostalMime.parse>>;
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Papa Smurf &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(email.text).toContain(HOSTILE);
  });

  it('sends nothing more when the same revision is analysed again', async () => {
    const { executionArn } = await platform.sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-daily-analysis',
        input: JSON.stringify({ date }),
      }),
    );
    await platform.waitForIdle();
    const run = platform.describeExecution(executionArn as string);
    expect(run.status).toBe('SUCCEEDED');
    expect(JSON.parse(run.output ?? '{}')).toMatchObject({
      date,
      revision: 1,
      report_status: 'skipped',
      report_email_status: 'skipped',
    });
    expect(await reportFiles()).toHaveLength(1);
    expect(reportsSent()).toHaveLength(1);
  }, 120_000);

  it('lists the message with tillflow mail, and shows it by its short id', async () => {
    const list = capture();
    expect(await runMailCommand(['--date', date, '--state-dir', platform.stateDir], { output: list })).toBe(0);
    expect(list.stdout).toHaveLength(3);
    expect(list.stdout[0]).toMatch(/^ID\s+SENT \(UTC\)\s+DATE\s+TO\s+SUBJECT$/);
    const [shortId, ...rest] = (list.stdout[2] as string).split(/\s{2,}/);
    expect(rest.slice(1)).toEqual([date, RECIPIENTS.join(', '), reportsSent()[0]?.subject]);

    const shown = capture();
    expect(await runMailCommand(['show', shortId as string, '--state-dir', platform.stateDir], { output: shown })).toBe(
      0,
    );
    expect(shown.stdout).toContain(`To:         ${RECIPIENTS.join(', ')}`);
    expect(shown.stdout.join('\n')).toContain(`Tillflow daily report: ${date} (Wednesday)`);

    const otherDay = capture();
    expect(await runMailCommand(['--date', '2025-10-30', '--state-dir', platform.stateDir], { output: otherDay })).toBe(
      1,
    );
    expect(otherDay.stderr.join('\n')).toContain('no message about 2025-10-30');
  });
});

describe('GET /local/mail of the local gateway', () => {
  it('lists the report email newest first, with its recipients, subject and HTML part, and is not in the OpenAPI document', async () => {
    const res = await fetch(`${platform.endpoints.api}/local/mail`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as LocalMailResponse;
    const sent = platform.emails();
    expect(messages.map((m) => m.subject)).toEqual(sent.map((m) => m.subject).reverse());
    const report = messages.find((m) => m.business_date === date);
    const [file] = await reportFiles();
    expect(report).toMatchObject({
      from: SENDER,
      to: RECIPIENTS,
      subject: reportsSent()[0]?.subject,
      html: file?.email.html,
      text: file?.email.text,
    });
    const document = (await (await fetch(`${platform.endpoints.api}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths).filter((p) => p.startsWith('/local'))).toEqual([]);
  });
});

describe('the local SES v2 API', () => {
  const simple = (from: string) =>
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: ['someone@example.com'], BccAddresses: ['audit@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Grüße from the SDK' },
          Body: { Text: { Data: 'plain' }, Html: { Data: '<p>html</p>' } },
          Headers: [{ Name: 'X-Test', Value: 'yes' }],
        },
      },
    });

  it('takes SendEmail from the real SDK and writes the message with its Bcc', async () => {
    const out = await platform.sesClient().send(simple(SENDER));
    const file = join(mailDir(), `${out.MessageId}.eml`);
    const email = await PostalMime.parse(readFileSync(file));
    expect(email.subject).toBe('Grüße from the SDK');
    expect((email.bcc ?? []).map((a) => a.address)).toEqual(['audit@example.com']);
    expect(email.text?.trim()).toBe('plain');
    expect(email.html?.trim()).toBe('<p>html</p>');
    expect(email.headers.find((h) => h.key === 'x-test')?.value).toBe('yes');
  });

  it('writes Raw content as sent, adding the Message-ID and Date SES adds, to the recipients of its headers', async () => {
    const raw = `From: ${SENDER}\r\nTo: raw@example.com\r\nCc: copy@example.com\r\nSubject: raw one\r\n\r\nbody\r\n`;
    const out = await platform
      .sesClient()
      .send(new SendEmailCommand({ Content: { Raw: { Data: new TextEncoder().encode(raw) } } }));
    const bytes = readFileSync(join(mailDir(), `${out.MessageId}.eml`), 'utf8');
    expect(bytes.endsWith(raw)).toBe(true);
    expect(bytes).toMatch(new RegExp(`^Message-ID: <${out.MessageId}@[^>]+>\r\nDate: [A-Z][a-z]{2}, \\d{2} `));
    const sent = platform.emails().find((m) => m.messageId === out.MessageId);
    expect(sent?.recipients).toEqual(['raw@example.com', 'copy@example.com']);
  });

  it('refuses a sender that is not a verified identity, as SES does', async () => {
    await expect(platform.sesClient().send(simple('someone@elsewhere.example'))).rejects.toMatchObject({
      name: 'MessageRejected',
      message: expect.stringContaining('Email address is not verified'),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses an unsigned request and one signed with another secret', async () => {
    const unsigned = await fetch(`${platform.endpoints.ses}/v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FromEmailAddress: SENDER,
        Destination: { ToAddresses: ['x@example.com'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
      }),
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    const stranger = new SESv2Client({
      region: REGION,
      endpoint: platform.endpoints.ses,
      credentials: { accessKeyId: 'test', secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    try {
      await expect(stranger.send(simple(SENDER))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      stranger.destroy();
    }
    expect(platform.emails().map((m) => m.subject)).not.toContain('s');
  });

  it('refuses a message without recipients or body with BadRequestException', async () => {
    await expect(
      platform.sesClient().send(
        new SendEmailCommand({
          FromEmailAddress: SENDER,
          Destination: { ToAddresses: [] },
          Content: { Simple: { Subject: { Data: 'nobody' }, Body: { Text: { Data: 'x' } } } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(
      platform.sesClient().send(
        new SendEmailCommand({
          FromEmailAddress: SENDER,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: 'no body' }, Body: {} } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringContaining('Text or Html') });
  });
});
