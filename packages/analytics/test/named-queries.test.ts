import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namedQueries } from '../src/index';

const DIR = join(import.meta.dirname, '../../../infrastructure/athena');

describe('the named queries Terraform saves in the Athena workgroup', () => {
  it('are the generated Athena statements of every operation (TILLFLOW_WRITE_NAMED_QUERIES=1 rewrites them)', () => {
    const queries = namedQueries();
    if (process.env.TILLFLOW_WRITE_NAMED_QUERIES === '1') {
      for (const q of queries) writeFileSync(join(DIR, `${q.name}.sql`), q.text);
    }
    expect(existsSync(DIR)).toBe(true);
    expect(readdirSync(DIR).sort()).toEqual(queries.map((q) => `${q.name}.sql`).sort());
    for (const q of queries) expect(readFileSync(join(DIR, `${q.name}.sql`), 'utf8'), q.name).toBe(q.text);
  });
});
