import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Platform, type PlatformOptions, startPlatform } from './platform';

/**
 * A platform for a test file: every server on a free port, DynamoDB in memory, a fresh state folder that `stop()`
 * removes, retries without backoff, and no schedule firing on the wall clock. `options` override any of these.
 */
export async function startTestPlatform(options: Partial<PlatformOptions> = {}): Promise<Platform> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'tillflow-test-'));
  const platform = await startPlatform({
    ports: { api: 0, s3: 0, dynamodb: 0, sfn: 0, sns: 0, logs: 0, ses: 0 },
    inMemoryDynamoDB: true,
    retryIntervalMs: 10,
    schedules: [],
    ...options,
    stateDir,
  });
  const stop = platform.stop.bind(platform);
  return {
    ...platform,
    async stop(stopOptions) {
      await stop(stopOptions);
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
