import { defineConfig } from 'vitest/config';

// Each test file starts a whole local platform once (a storage process, the state machines' validation). The fixture
// functions are bundled once before any file runs: the platform runs bundles, and two files bundling at once would
// race on the same dist/ folders.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['./test/global-setup.ts'],
  },
});
