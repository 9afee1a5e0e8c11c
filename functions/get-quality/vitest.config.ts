import { defineConfig } from 'vitest/config';

// The tests start the local platform once per file (a storage process, the state machines' validation).
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
