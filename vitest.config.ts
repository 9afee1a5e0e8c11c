import { defineConfig } from 'vitest/config';

// The defaults of every package that has no vitest.config of its own (Vitest looks for one up the tree from the
// package, so this also keeps a stray config above the repository from being picked up).
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
