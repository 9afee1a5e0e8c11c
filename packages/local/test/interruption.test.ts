import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startTestPlatform } from '../src';
import { storeSummaries, sumCents } from './analysis-helpers';

const CLI = join(REPO_ROOT, 'packages', 'local', 'src', 'cli', 'cli.ts');
const DAYS = ['2025-10-27', '2025-10-28', '2025-10-29'];
const FREE_PORTS = [
  ...['--api-port', '0', '--s3-port', '0', '--dynamodb-port', '0', '--sfn-port', '0'],
  ...['--sns-port', '0', '--ses-port', '0', '--logs-port', '0'],
];
const folders: string[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Three days of the sample week: 33 store files, as the interrupted run had. */
function dataDir(): string {
  const dir = tempDir('tillflow-interrupt-data-');
  for (const file of readdirSync(join(REPO_ROOT, 'sample-data'))) {
    if (DAYS.some((d) => file.endsWith(`_${d}.json`)))
      copyFileSync(join(REPO_ROOT, 'sample-data', file), join(dir, file));
  }
  return dir;
}

interface Run {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

/** `npm start -- --once` as a user runs it, in a process group of its own (as a terminal's Ctrl-C reaches it). */
function runCli(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--once', ...FREE_PORTS, ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The state after the interrupted run and its restart: every file processed once (its store-day figures equal to
 * the file's, one successful execution per key and ETag), every day analysed and reported once, and nothing left for
 * a further start to resume.
 */
async function expectEverythingOnce(stateDir: string, data: string): Promise<void> {
  const platform = await startTestPlatform({ stateDir, inMemoryDynamoDB: false });
  try {
    expect(platform.reconciled).toMatchObject({ uploads: [], days: [] });
    const history = readFileSync(join(stateDir, 'executions.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { executionArn: string; status: string; input: string; name: string });
    const final = new Map(history.map((r) => [r.executionArn, r]));
    const succeeded = [...final.values()].filter((r) => r.status === 'SUCCEEDED');
    for (const date of DAYS) {
      const files = readdirSync(data).filter((f) => f.endsWith(`_${date}.json`));
      const summaries = await storeSummaries(platform, date);
      expect(summaries).toHaveLength(files.length);
      for (const file of files) {
        const body = readFileSync(join(data, file));
        const rows = JSON.parse(body.toString('utf8')) as { line_total: number; discount_amount: number }[];
        const storeId = file.slice('store_'.length, 'store_'.length + 4);
        const summary = summaries.find((s) => s.store_id === storeId);
        const etag = createHash('md5').update(body).digest('hex');
        expect(summary?.source_etag, file).toBe(etag);
        // Counted once: accepted and rejected lines add up to the file's, and the figures are the file's own.
        expect((summary?.lines ?? 0) + (summary?.rejected_lines ?? 0), file).toBe(rows.length);
        if (summary?.rejected_lines === 0) {
          expect(Math.round(summary.net_sales * 100), file).toBe(
            sumCents(rows.map((r) => r.line_total)) - sumCents(rows.map((r) => r.discount_amount)),
          );
        }
        const runs = succeeded.filter((r) => r.input.includes(`"key":"uploads/${file}"`) && r.input.includes(etag));
        expect(runs, file).toHaveLength(1);
      }
    }
    const reports = existsSync(join(stateDir, 'sns', 'tillflow-daily-report.ndjson'))
      ? readFileSync(join(stateDir, 'sns', 'tillflow-daily-report.ndjson'), 'utf8')
          .trim()
          .split('\n')
      : [];
    for (const date of DAYS) {
      const ofDay = reports.filter((line) =>
        (JSON.parse(line).subject as string).startsWith(`Tillflow daily report ${date}`),
      );
      expect(ofDay, `reports of ${date}`).toHaveLength(1);
    }
  } finally {
    await platform.stop();
  }
}

describe('an interrupted run', () => {
  for (const [signal, how] of [
    ['SIGINT', 'drains'],
    ['SIGKILL', 'dies at once'],
  ] as const) {
    it(`resumes after ${signal} (the platform ${how}) with every file processed once and every day analysed once`, {
      timeout: 180_000,
    }, async () => {
      const stateDir = tempDir('tillflow-interrupt-state-');
      const data = dataDir();
      const first = runCli(['--state-dir', stateDir, '--data-dir', data]);
      await until(() => first.lines.filter((l) => l.includes(' processed ')).length >= 6, 60_000, 'six uploads');
      // The whole process group, as Ctrl-C in a terminal (SIGINT) or `kill -9 -<pgid>` (SIGKILL) reach it.
      process.kill(-(first.child.pid as number), signal);
      const code = await first.exited;
      if (signal === 'SIGINT') {
        expect(code).toBe(130);
        expect(first.lines.join('\n')).toContain('Stopping…');
      }
      const second = runCli(['--state-dir', stateDir, '--data-dir', data]);
      expect(await second.exited, second.lines.join('\n')).toBe(0);
      await expectEverythingOnce(stateDir, data);
    });
  }
});
