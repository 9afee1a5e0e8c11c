import { defineConfig } from 'vitest/config';

// The end-to-end test starts one local platform (the sample week through every workflow) and one Chromium.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
