import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../src';
import { type CommandOutput, runCommand } from '../src/cli/command';

const here = import.meta.dirname;
const fixtures = join(here, 'fixtures');
const FREE_PORTS = ['api', 's3', 'dynamodb', 'sfn', 'sns', 'logs', 'ses'].flatMap((server) => [
  `--${server}-port`,
  '0',
]);
const FIXTURE_CODE = [
  '--functions-dir',
  join(fixtures, 'functions'),
  '--state-machines-dir',
  join(fixtures, 'state-machines'),
];
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tillflow-cli-'));
  temps.push(dir);
  return dir;
}

function capture(onOut?: (line: string) => void): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => {
      stdout.push(line);
      onOut?.(line);
    },
    err: (line) => stderr.push(line),
    tty: false,
  };
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('tillflow command', () => {
  it('refuses a bad flag value with the usage', async () => {
    const output = capture();
    expect(await runCommand(['--api-port', 'http'], { output })).toBe(2);
    expect(output.stderr.join('\n')).toContain('--api-port must be a port number (0-65535), got "http"');
    expect(output.stderr.join('\n')).toContain('Usage: tillflow');
  });

  it('refuses report recipients that are not email addresses, and mail options without show', async () => {
    const output = capture();
    expect(await runCommand(['--report-recipients', 'ops@example.com,finance'], { output })).toBe(2);
    expect(output.stderr.join('\n')).toContain(
      '--report-recipients takes 1 to 50 email addresses separated by commas, got "ops@example.com,finance"',
    );
    const mail = capture();
    expect(await runCommand(['mail', '--html', '--state-dir', tempDir()], { output: mail })).toBe(2);
    expect(mail.stderr.join('\n')).toContain('--html and --raw go with show');
    const bad = capture();
    expect(await runCommand(['mail', '--date', '2025-02-30', '--state-dir', tempDir()], { output: bad })).toBe(2);
    expect(bad.stderr.join('\n')).toContain('--date takes a date YYYY-MM-DD, got "2025-02-30"');
    const empty = capture();
    expect(await runCommand(['mail', '--state-dir', tempDir()], { output: empty })).toBe(1);
    expect(empty.stderr.join('\n')).toMatch(/no message in .*ses/);
  });

  it.each([
    ['--api-port', 'api'],
    ['--s3-port', 's3'],
  ])('names %s when its port is taken, and leaves nothing running', async (flag) => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const output = capture();
      const stateDir = join(tempDir(), 'state');
      const args = [...FREE_PORTS, ...FIXTURE_CODE, '--state-dir', stateDir, '--once', '--no-sample-data'];
      args[args.indexOf(flag) + 1] = String(port);
      expect(await runCommand(args, { output })).toBe(3);
      expect(output.stderr.join('\n')).toBe(
        `tillflow: port ${port} is already in use: choose another with ${flag} (or stop what listens there)`,
      );
      // Checked before anything is created: a later start is a first run, not "an earlier run".
      expect(existsSync(stateDir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('refuses a state folder that a running platform holds, naming it', async () => {
    const stateDir = tempDir();
    const holder = await startTestPlatform({
      stateDir,
      functionsDir: join(fixtures, 'functions'),
      stateMachinesDir: join(fixtures, 'state-machines'),
    });
    try {
      const output = capture();
      const args = [...FREE_PORTS, ...FIXTURE_CODE, '--state-dir', stateDir, '--once', '--no-sample-data'];
      expect(await runCommand(args, { output })).toBe(3);
      expect(output.stderr.join('\n')).toBe(
        `tillflow: the state folder ${stateDir} is in use by a running Tillflow platform (process ${process.pid}): ` +
          'stop it first, or choose another folder with --state-dir',
      );
    } finally {
      await holder.stop();
    }
  });

  it('serves until asked to stop', async () => {
    let requestStop: () => void = () => undefined;
    const stopSignal = new Promise<void>((resolve) => {
      requestStop = resolve;
    });
    let api = '';
    const output = capture((line) => {
      const m = / API (\S+) /.exec(line);
      if (m) api = m[1] as string;
      if (line.startsWith('Serving.')) {
        void fetch(`${api}/uploads/none`).then((res) => {
          expect(res.status).toBe(404);
          requestStop();
        });
      }
    });
    const args = [...FREE_PORTS, ...FIXTURE_CODE, '--state-dir', tempDir(), '--no-sample-data'];
    expect(await runCommand(args, { output, stopSignal })).toBe(0);
    expect(output.stdout).toContain('Sample data not uploaded (--no-sample-data).');
    expect(output.stdout.at(-1)).toBe('Stopping…');
  });

  it('exits 1 and names the failed workflow when a file cannot be processed', async () => {
    const data = tempDir();
    writeFileSync(join(data, 'store_0003_2025-10-29.json'), '[{"a":1},{"a":2}]');
    writeFileSync(join(data, 'store_0004_2025-10-29.json'), 'this is not JSON');
    const output = capture();
    const args = [...FREE_PORTS, ...FIXTURE_CODE, '--state-dir', tempDir(), '--data-dir', data, '--once'];
    expect(await runCommand(args, { output })).toBe(1);
    const text = output.stdout.join('\n');
    expect(text).toContain('Uploading 2 store files');
    expect(text).toContain('  files       1 accepted, 0 rejected, 1 failed');
    expect(text).toContain('  lines       2 accepted, 0 rejected');
    // The expected stores default to the ids of the data folder's files.
    expect(text).toContain('  stores      2025-10-29 0/2, missing 0003 0004');
    expect(text).toMatch(
      /FAILED {6}upload-processor\/[0-9a-f-]{36} \(uploads\/store_0004_2025-10-29\.json\): UploadFailed: the upload could not be processed/,
    );
    expect(output.stderr.join('\n')).toContain('ALERT upload failed');
  });
});

describe('bin/tillflow.js', () => {
  it('processes the data folder of a first run and exits 0, then reuses the state without uploading again', async () => {
    const stateDir = tempDir();
    const args = [
      join(here, '..', 'bin', 'tillflow.js'),
      '--once',
      ...FREE_PORTS,
      ...FIXTURE_CODE,
      '--state-dir',
      stateDir,
      '--data-dir',
      join(fixtures, 'data'),
    ];
    const first = await promisify(execFile)(process.execPath, args);
    expect(first.stdout).toContain('Uploading 4 store files');
    expect(first.stdout).toContain('  files       4 accepted, 0 rejected, 0 failed');
    expect(first.stdout).toContain('  lines       24 accepted, 0 rejected');
    expect(first.stdout).toContain('  executions  4 (4 upload-processor), 0 failed');
    expect(first.stdout).toContain(
      `  parquet     0 files under ${join(stateDir, 's3', 'tillflow-local', 'processed')}/`,
    );

    const output = capture();
    expect(await runCommand(args.slice(1), { output })).toBe(0);
    expect(output.stdout.join('\n')).toContain('The sample data is already in');
    expect(output.stdout.join('\n')).not.toContain('Uploading');
  });
});
