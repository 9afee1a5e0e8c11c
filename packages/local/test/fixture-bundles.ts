import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction } from '@tillflow/build';

/** The fixture functions' folder. */
export const FIXTURE_FUNCTIONS = join(import.meta.dirname, 'fixtures', 'functions');

/**
 * Bundles every fixture function as a real function is bundled (`dist/index.mjs`): the platform runs bundles, never
 * sources. A few tens of milliseconds each.
 */
export async function bundleFixtures(dir = FIXTURE_FUNCTIONS): Promise<void> {
  const names = readdirSync(dir, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && existsSync(join(dir, d.name, 'src', 'handler.ts')),
  );
  await Promise.all(names.map((d) => bundleFunction(join(dir, d.name))));
}
