import { defineConfig } from 'vitest/config';

// The tests start the local platform once per file; a job's first run loads DuckDB in a fresh execution environment,
// which takes seconds on a loaded machine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
