import { bundleFixtures } from './fixture-bundles';

/** Vitest global setup: the fixture functions' bundles, built once per run. */
export default async function setup(): Promise<void> {
  await bundleFixtures();
}
