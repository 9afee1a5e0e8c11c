import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const WORKFLOW_PARSER = '@actions/workflow-parser';

export default defineConfig({
  plugins: [
    {
      // Its published source maps name files it does not ship; dropping the references keeps the test output clean.
      name: 'workflow-parser-without-source-maps',
      enforce: 'pre',
      load(id) {
        if (!id.includes(`/node_modules/${WORKFLOW_PARSER}/`) || !id.endsWith('.js')) return null;
        return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
      },
    },
  ],
  test: {
    // Each file parses the whole module once (hcl2json, wasm): seconds on a busy shared machine, more than 10.
    hookTimeout: 60_000,
    server: {
      deps: {
        // Its ESM imports its schema JSON without an import attribute, which Node 20 refuses; Vite's loader does not.
        inline: [WORKFLOW_PARSER],
      },
    },
  },
});
