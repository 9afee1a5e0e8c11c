import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction } from '@tillflow/build';

/** The fixture functions' folder. */
export const FIXTURE_FUNCTIONS = join(import.meta.dirname, 'fixtures', 'functions');
/** Fixture functions that probe what an execution environment isolates and enforces. */
export const ENVIRONMENT_FIXTURES = join(import.meta.dirname, 'fixtures', 'environments');

/**
 * Bundles every fixture function as a real function is bundled (`dist/index.mjs`): the platform runs bundles, never
 * sources. A few tens of milliseconds each.
 */
export async function bundleFixtures(dirs = [FIXTURE_FUNCTIONS, ENVIRONMENT_FIXTURES]): Promise<void> {
  const folders = dirs.flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'src', 'handler.ts')))
      .map((d) => join(dir, d.name)),
  );
  await Promise.all(folders.map((folder) => bundleFunction(folder)));
}
