import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, REPO_ROOT, startTestPlatform } from '../src';
import { type CommandOutput, runCommand } from '../src/cli/command';

/**
 * `tillflow upload`, `report` and `open` against a running platform with the real functions: two stores expected, so
 * that their two uploads of one sample day complete the day and its analysis sends the report.
 */

const here = import.meta.dirname;
const SAMPLE = join(REPO_ROOT, 'sample-data');
const DAY = '2025-10-28';
const FILES = [join(SAMPLE, `store_0001_${DAY}.json`), join(SAMPLE, `store_0002_${DAY}.json`)];
let platform: Platform;
let env: Record<string, string>;
const temp = mkdtempSync(join(tmpdir(), 'tillflow-api-commands-'));

function capture(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), tty: false };
}

beforeAll(async () => {
  platform = await startTestPlatform({ expectedStores: ['0001', '0002'], staticDir: join(here, 'fixtures', 'static') });
  env = { TILLFLOW_API_URL: platform.endpoints.api };
});

afterAll(async () => {
  await platform?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('tillflow upload', () => {
  it('uploads each file through POST /uploads and the presigned PUT, and with --wait says how each was processed', async () => {
    const output = capture();
    expect(await runCommand(['upload', '--wait', ...FILES], { env, output })).toBe(0);
    const text = output.stdout.join('\n');
    expect(text).toContain(`  uploaded  store_0001_${DAY}.json (`);
    expect(text).toContain(`→ uploads/store_0002_${DAY}.json`);
    expect(text).toContain(`  processed store_0001_${DAY}.json → processed/sales/date=${DAY}/store=0001/`);
    // The sample file of store 0002 that day has one invalid line (sample-data/README.md).
    expect(text).toMatch(new RegExp(`processed store_0002_${DAY}\\.json → \\S+, 1 lines rejected \\(rejected/`));
    expect(output.stdout.at(-1)).toBe('2 of 2 files processed.');
    for (const file of FILES) {
      const key = `uploads/${file.split('/').at(-1)}`;
      const stored = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(readFileSync(file))).toBe(true);
    }
    await platform.waitForIdle();
  }, 180_000);

  it("refuses a misnamed file with the API's reason and exits 1, and a missing file with the usage", async () => {
    const misnamed = join(temp, 'sales-monday.json');
    writeFileSync(misnamed, '[]');
    const output = capture();
    expect(await runCommand(['upload', misnamed], { env, output })).toBe(1);
    expect(output.stderr.join('\n')).toMatch(/failed {4}sales-monday\.json: POST \/uploads answered 400: /);
    expect(output.stdout.at(-1)).toBe('0 of 1 files uploaded.');

    const missing = capture();
    expect(await runCommand(['upload', join(temp, 'nope.json')], { env, output: missing })).toBe(2);
    expect(missing.stderr.join('\n')).toContain('nope.json: no such file');
  });

  it('says that no platform answers when none runs at the address', async () => {
    const output = capture();
    const code = await runCommand(['upload', FILES[0] as string], {
      env: { TILLFLOW_API_URL: 'http://127.0.0.1:9' },
      output,
    });
    expect(code).toBe(1);
    expect(output.stderr.join('\n')).toContain('no API answers at http://127.0.0.1:9');
  });
});

describe('tillflow report', () => {
  it('prints the latest analysed day’s report as it was sent', async () => {
    await platform.waitForIdle();
    const sent = platform.messages('tillflow-daily-report').filter((m) => m.subject?.includes(DAY));
    expect(sent).toHaveLength(1);
    const output = capture();
    expect(await runCommand(['report'], { env, output })).toBe(0);
    expect(output.stdout.join('\n').trim()).toBe((sent[0]?.message ?? '').trim());
  });

  it('prints the report of the day given with --date, as HTML with --html', async () => {
    const output = capture();
    expect(await runCommand(['report', '--date', DAY, '--html'], { env, output })).toBe(0);
    expect(output.stdout.join('\n')).toMatch(/^<!doctype html>|<html/i);
    expect(output.stdout.join('\n')).toContain(DAY);
  });

  it('exits 1 with the API’s 404 for a day without a report, and 2 for a malformed date', async () => {
    const unknown = capture();
    expect(await runCommand(['report', '--date', '2025-12-25'], { env, output: unknown })).toBe(1);
    expect(unknown.stderr.join('\n')).toContain('GET /reports/2025-12-25 answered 404');
    const malformed = capture();
    expect(await runCommand(['report', '--date', '28/10/2025'], { env, output: malformed })).toBe(2);
    expect(malformed.stderr.join('\n')).toContain('--date takes a day as YYYY-MM-DD, got "28/10/2025"');
  });
});

describe('npm start and the dashboard', () => {
  const FREE_PORTS = ['api', 's3', 'dynamodb', 'sfn', 'sns', 'logs', 'ses'].flatMap((server) => [
    `--${server}-port`,
    '0',
  ]);
  const FIXTURES = join(here, 'fixtures');
  const FIXTURE_CODE = [
    '--functions-dir',
    join(FIXTURES, 'functions'),
    '--state-machines-dir',
    join(FIXTURES, 'state-machines'),
  ];

  it('prints the dashboard URL and serves the build there, or says how to build it when there is none', async () => {
    let requestStop: () => void = () => undefined;
    const stopSignal = new Promise<void>((resolve) => {
      requestStop = resolve;
    });
    let page: { status: number; type: string; body: string } | undefined;
    const output: ReturnType<typeof capture> = capture();
    const out = output.out;
    output.out = (line) => {
      out(line);
      const m = /^Serving\. Dashboard (\S+) {2}Ctrl-C stops\.$/.exec(line);
      if (m)
        void fetch(m[1] as string, { headers: { accept: 'text/html' } }).then(async (res) => {
          page = { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
          requestStop();
        });
    };
    const args = [...FREE_PORTS, ...FIXTURE_CODE, '--no-sample-data', '--state-dir', join(temp, 'serve')];
    const dashboard = join(FIXTURES, 'static');
    expect(await runCommand([...args, '--dashboard-dir', dashboard], { env: {}, output, stopSignal })).toBe(0);
    expect(output.stdout.some((l) => /^Dashboard http:\/\/127\.0\.0\.1:\d+\/$/.test(l))).toBe(true);
    expect(page?.status).toBe(200);
    expect(page?.type).toContain('text/html');
    expect(page?.body).toBe(readFileSync(join(dashboard, 'index.html'), 'utf8'));

    const none = capture();
    const once = [...args.slice(0, -1), join(temp, 'serve-2'), '--once', '--dashboard-dir', join(temp, 'no-build')];
    expect(await runCommand(once, { env: {}, output: none })).toBe(0);
    expect(none.stdout).toContain(
      `Dashboard not built (${join(temp, 'no-build')}/ has no index.html): npx turbo run build --filter=@tillflow/dashboard`,
    );
  });
});

describe('tillflow open', () => {
  it('prints the dashboard URL once the platform serves it, and with --browser hands it to the opener', async () => {
    const output = capture();
    expect(await runCommand(['open'], { env, output })).toBe(0);
    expect(output.stdout).toEqual([`${platform.endpoints.api}/`]);

    const opened: string[] = [];
    const { runOpenCommand } = await import('../src/cli/open-command');
    const withBrowser = capture();
    const code = await runOpenCommand(['--browser'], {
      env,
      output: withBrowser,
      openUrl: async (url) => {
        opened.push(url);
      },
    });
    expect(code).toBe(0);
    expect(opened).toEqual([`${platform.endpoints.api}/`]);
  });

  it('exits 1 and says so when nothing answers at the address', async () => {
    const output = capture();
    expect(await runCommand(['open'], { env: { TILLFLOW_API_URL: 'http://127.0.0.1:9' }, output })).toBe(1);
    expect(output.stderr.join('\n')).toContain('nothing answers at http://127.0.0.1:9/');
  });
});
