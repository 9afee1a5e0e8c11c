import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The AWS CLI v2 the operator tests run: `AWS_CLI` when set, else Debian's /usr/bin/aws or the installer's
 * /usr/local/bin/aws (a pip-installed v1 earlier in PATH is not what operators use). Without one the tests fail,
 * saying how to install it: they are never skipped.
 */
const AWS_CLI: string | undefined =
  process.env.AWS_CLI ?? ['/usr/bin/aws', '/usr/local/bin/aws'].find((path) => existsSync(path));

/** The credentials the local servers accept (and check, when they check signatures). */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** An empty configuration, so that nothing of the machine's own AWS setup (profiles, regions, pagers) applies. */
const home = mkdtempSync(join(tmpdir(), 'tillflow-aws-cli-'));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\n');
writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/**
 * Runs `aws <args> --endpoint-url <endpoint>` asynchronously (the platform answering it runs in this process) with
 * the local credentials or `credentials`; resolves with its output, rejects with the CLI's stderr in the message when
 * it exits non-zero.
 */
export async function runAws(
  endpoint: string,
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS,
): Promise<{ stdout: string; stderr: string }> {
  if (!AWS_CLI) {
    throw new Error('no AWS CLI v2 at /usr/bin/aws: .ci/run installs it (apt-get install -y awscli), or set AWS_CLI');
  }
  try {
    return await run(AWS_CLI, [...args, '--endpoint-url', endpoint, '--cli-read-timeout', '10'], {
      env: { ...env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`aws ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** {@link runAws}'s stdout. */
export async function aws(endpoint: string, ...args: string[]): Promise<string> {
  return (await runAws(endpoint, args)).stdout;
}

/** {@link aws} with `--output json`, parsed. */
export async function awsJson<T = Record<string, unknown>>(endpoint: string, ...args: string[]): Promise<T> {
  const out = await aws(endpoint, ...args, '--output', 'json');
  return (out.trim() === '' ? {} : JSON.parse(out)) as T;
}
