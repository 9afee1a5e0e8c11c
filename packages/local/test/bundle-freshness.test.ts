import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunction } from '@tillflow/build';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFunctions } from '../src/runtime/functions';

const functionsDir = mkdtempSync(join(tmpdir(), 'tillflow-fresh-'));
const handler = join(functionsDir, 'probe', 'src', 'handler.ts');
const resolve = () =>
  resolveFunctions({
    functionsDir,
    terraform: { functions: {}, commonEnvironment: {}, defaults: {} },
    known: {},
    additions: {},
  });

afterAll(() => rmSync(functionsDir, { recursive: true, force: true }));

describe("a function's bundle", () => {
  it('runs when its sources are unchanged, even if a checkout touched them, and is refused once they change', async () => {
    mkdirSync(join(functionsDir, 'probe', 'src'), { recursive: true });
    writeFileSync(handler, 'export async function handler() { return 1; }\n');
    await bundleFunction(join(functionsDir, 'probe'));
    expect(resolve().get('probe')?.entry).toBe(join(functionsDir, 'probe', 'dist', 'index.mjs'));

    const later = new Date(Date.now() + 60_000);
    utimesSync(handler, later, later);
    expect(() => resolve()).not.toThrow();

    writeFileSync(handler, 'export async function handler() { return 2; }\n');
    utimesSync(handler, later, later);
    expect(() => resolve()).toThrow(/probe: dist\/index\.mjs was built from an older src\/handler\.ts/);
  });
});
