import { defineConfig } from 'vitest/config';

// Each test file starts a whole local platform once (a storage process, the state machines' validation).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
