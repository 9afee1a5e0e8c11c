import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The build's weight, as a browser fetches it (gzip, as CloudFront's `compress = true` serves it): what `index.html`
 * loads before the first figure, and Chart.js, loaded on the first chart. Budgets from the measured build
 * (packages/dashboard/README.md) with some room; a dependency that pulls in much more fails here.
 */
const DIST = join(import.meta.dirname, '..', 'dist');
const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

describe('the dashboard build', () => {
  it('loads under 30 KB of gzipped JavaScript and CSS before the first figure, and under 110 KB with the charts', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
    expect(initial.some((f) => f.endsWith('.js'))).toBe(true);
    const assets = readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`);
    const charts = assets.filter((f) => /charts-.*\.js$/.test(f));
    expect(charts).toHaveLength(1);
    expect(initial).not.toContain(charts[0]);
    const initialBytes = initial.reduce((sum, f) => sum + gz(f), 0);
    const totalBytes = assets.filter((f) => /\.(js|css)$/.test(f)).reduce((sum, f) => sum + gz(f), 0);
    expect(initialBytes).toBeLessThan(30 * 1024);
    expect(totalBytes).toBeLessThan(110 * 1024);
  });

  it('refers to its assets relatively, so that it works at any path of a static host', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(?:src|href)="\/(?!\/)/);
  });
});
