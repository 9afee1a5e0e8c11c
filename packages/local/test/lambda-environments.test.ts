import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_VARIABLE_NAMES, localAdditions, type Platform, REPO_ROOT, startTestPlatform } from '../src';
import { ENVIRONMENT_FIXTURES } from './fixture-bundles';

interface StateResult {
  invocations: number;
  markBefore: string | null;
  remainingBefore: number;
  remainingAfter: number;
  logStream: string;
  memoryLimitInMB: string;
}

const logLines: { group: string; stream: string; message: string }[] = [];
let platform: Platform;
const emptyMachines = mkdtempSync(join(tmpdir(), 'tillflow-no-machines-'));

beforeAll(async () => {
  platform = await startTestPlatform({
    functionsDir: ENVIRONMENT_FIXTURES,
    stateMachinesDir: emptyMachines,
    concurrency: 4,
    functionTimeoutsSeconds: { state: 3, spin: 1 },
    functionMemoryMb: { hog: 64 },
    logs: {
      put: (group, stream, events) => {
        for (const e of events) logLines.push({ group, stream, message: e.message });
      },
    },
  });
});

afterAll(async () => {
  await platform?.stop();
  rmSync(emptyMachines, { recursive: true, force: true });
});

const state = (event: { waitMs?: number; mark?: string } = {}) =>
  platform.invoke('state', event) as Promise<StateResult>;

describe('an execution environment', () => {
  it('keeps its module instance between invocations, and concurrent invocations get environments of their own', async () => {
    const first = await state();
    const second = await state();
    expect(second.invocations).toBe(first.invocations + 1);
    expect(second.logStream).toBe(first.logStream);

    const concurrent = await Promise.all([state({ waitMs: 300 }), state({ waitMs: 300 }), state({ waitMs: 300 })]);
    const streams = new Set(concurrent.map((r) => r.logStream));
    expect(streams.size).toBe(3);
    // Two of them are new environments: their module instance has served one invocation.
    expect(concurrent.filter((r) => r.invocations === 1)).toHaveLength(2);
  });

  it('has a process.env of its own: what one environment sets, another does not see', async () => {
    const [a, b] = await Promise.all([state({ waitMs: 200, mark: 'a' }), state({ waitMs: 200, mark: 'b' })]);
    expect(a.logStream).not.toBe(b.logStream);
    expect(a.markBefore).not.toBe('b');
    expect(b.markBefore).not.toBe('a');
    expect(process.env.FIXTURE_MARK).toBeUndefined();
    // Sequential invocations land in a warm environment, which remembers its own mark only.
    const again = await state();
    expect(['a', 'b']).toContain(again.markBefore);
  });

  it('gives the handler the real time left, counting down from the function timeout', async () => {
    const result = await state({ waitMs: 400 });
    expect(result.remainingBefore).toBeLessThanOrEqual(3000);
    expect(result.remainingBefore).toBeGreaterThan(2500);
    expect(result.remainingBefore - result.remainingAfter).toBeGreaterThanOrEqual(390);
    expect(result.memoryLimitInMB).toBe('1024');
  });

  it('is ended when the timeout passes, even in a loop that never yields, and the next invocation starts afresh', async () => {
    const began = Date.now();
    await expect(platform.invoke('spin', { seconds: 30 })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: expect.stringMatching(/Task timed out after 1\.00 seconds$/),
    });
    expect(Date.now() - began).toBeLessThan(5000);
    await expect(platform.invoke('spin', { seconds: 0 })).resolves.toMatch(/^spun \d+ times$/);
  });

  it('fails an invocation that outgrows its memory size as Lambda does, and recovers', async () => {
    await expect(platform.invoke('hog', { megabytes: 1024 })).rejects.toMatchObject({
      name: 'Runtime.OutOfMemory',
      message: expect.stringContaining('Runtime exited with error: signal: killed'),
    });
    await expect(platform.invoke('hog', { megabytes: 2 })).resolves.toBe(2);
  });

  it("writes Lambda's START, END and REPORT lines to the function's log group, one stream per environment", () => {
    const report = logLines.find((l) => l.group === '/aws/lambda/tillflow-state' && l.message.startsWith('REPORT'));
    expect(report?.message).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB/,
    );
    expect(report?.stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const starts = logLines.filter((l) => l.group === '/aws/lambda/tillflow-state' && l.message.startsWith('START'));
    expect(new Set(starts.map((l) => l.stream)).size).toBeGreaterThan(1);
  });
});

describe("each function's variables", () => {
  let functionsDir: string;
  let terraformPlatform: Platform;
  let common: Record<string, string>;
  let deployed: Record<string, { environment?: Record<string, string>; memory_mb: number }>;

  beforeAll(async () => {
    const read = async (file: string) =>
      parse(file, readFileSync(join(REPO_ROOT, 'infrastructure', file), 'utf8')) as Promise<{
        locals: Record<string, unknown>[];
      }>;
    const locals = (await read('locals.tf')).locals[0] as Record<string, unknown>;
    common = locals.common_environment as Record<string, string>;
    deployed = {
      ...(locals.upload_functions as typeof deployed),
      ...(locals.analysis_functions as typeof deployed),
    };
    // Every function of Terraform's map, each running the fixture that returns its whole process.env.
    functionsDir = mkdtempSync(join(tmpdir(), 'tillflow-env-'));
    for (const name of Object.keys(deployed)) {
      mkdirSync(join(functionsDir, name));
      cpSync(join(ENVIRONMENT_FIXTURES, 'env-dump', 'src'), join(functionsDir, name, 'src'), { recursive: true });
      cpSync(
        join(ENVIRONMENT_FIXTURES, 'env-dump', 'dist', 'index.mjs'),
        join(functionsDir, name, 'dist', 'index.mjs'),
      );
    }
    terraformPlatform = await startTestPlatform({ functionsDir, stateMachinesDir: emptyMachines });
  });

  afterAll(async () => {
    await terraformPlatform?.stop();
    rmSync(functionsDir, { recursive: true, force: true });
  });

  it('are exactly those Terraform gives it, besides what Lambda and the local endpoints add', async () => {
    const local = new Set([...LAMBDA_VARIABLE_NAMES, ...Object.keys(localAdditions(terraformPlatform.endpoints))]);
    expect(Object.keys(deployed).length).toBeGreaterThan(10);
    for (const [name, fn] of Object.entries(deployed)) {
      const env = (await terraformPlatform.invoke(name, {})) as Record<string, string>;
      const fromTerraform = Object.keys(env)
        .filter((k) => !local.has(k))
        .sort();
      expect(fromTerraform, name).toEqual(Object.keys({ ...common, ...fn.environment }).sort());
      expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe(`tillflow-${name}`);
      expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe(String(fn.memory_mb));
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(common.POWERTOOLS_SERVICE_NAME);
    }
  });
});
