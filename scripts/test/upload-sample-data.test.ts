import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSampleData, serializeStoreFile } from '../sample-data';
import { type ProcessResult, runProcess } from './run-process';

const SCRIPT = join(import.meta.dirname, '..', 'upload-sample-data.sh');

interface Put {
  key: string;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/** A stand-in for the API and S3: POST /uploads hands out a URL on itself, PUT /bucket/<key> records the body. */
class FakeApi {
  posts: unknown[] = [];
  puts: Put[] = [];
  /** File names whose POST /uploads answers 500, and whose PUT answers 403. */
  failPost = new Set<string>();
  failPut = new Set<string>();
  /** File names whose POST /uploads answers 200 without an upload URL. */
  garbled = new Set<string>();
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', this.url);
      if (req.method === 'POST' && url.pathname === '/uploads') {
        const { filename } = JSON.parse(body.toString()) as { filename: string };
        this.posts.push({ filename, contentType: req.headers['content-type'] });
        if (this.garbled.has(filename)) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"ok"}');
          return;
        }
        if (this.failPost.has(filename)) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"BOOM","message":"boom"}}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            uploadUrl: `${this.url}/bucket/uploads/${filename}?X-Amz-Signature=abc%2Bdef`,
            key: `uploads/${filename}`,
            expiresIn: 3600,
            headers: { 'Content-Type': 'application/json', 'x-amz-meta-source': 'sample data' },
          }),
        );
        return;
      }
      if (req.method === 'PUT' && url.pathname.startsWith('/bucket/')) {
        const key = url.pathname.slice('/bucket/'.length);
        if (url.searchParams.get('X-Amz-Signature') !== 'abc+def') {
          res.writeHead(403).end('signature mangled');
          return;
        }
        if (this.failPut.has(key.slice('uploads/'.length))) {
          res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
          return;
        }
        this.puts.push({ key, body, headers: req.headers });
        res.writeHead(200).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function run(args: string[]): Promise<ProcessResult> {
  return runProcess('bash', [SCRIPT, ...args]);
}

// The script starts node once per file to read the API's answer: seconds per run on a busy 2-core machine.
describe('upload-sample-data.sh', { timeout: 60_000 }, () => {
  const api = new FakeApi();
  let dir = '';
  const files = new Map<string, string>();

  beforeAll(async () => {
    await api.start();
    dir = mkdtempSync(join(tmpdir(), 'tillflow-upload-'));
    for (const file of generateSampleData({ stores: 2, days: 3, start: '2025-10-27', seed: 5 })) {
      const text = serializeStoreFile(file.records);
      writeFileSync(join(dir, file.name), text);
      files.set(file.name, text);
    }
    writeFileSync(join(dir, 'README.md'), 'not a store file');
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.posts = [];
    api.puts = [];
    api.failPost.clear();
    api.failPut.clear();
    api.garbled.clear();
  });

  it('uploads every store file, a day at a time, with the headers the API returned', async () => {
    const result = await run(['--api', api.url, '--dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(api.posts).toEqual(
      [...files.keys()]
        .sort((a, b) => a.slice(11).localeCompare(b.slice(11)) || a.localeCompare(b))
        .map((filename) => ({ filename, contentType: 'application/json' })),
    );
    expect(api.puts).toHaveLength(6);
    for (const put of api.puts) {
      const name = put.key.slice('uploads/'.length);
      expect(put.body.toString()).toBe(files.get(name));
      expect(put.headers['content-type']).toBe('application/json');
      expect(put.headers['x-amz-meta-source']).toBe('sample data');
    }
    const kb = Math.round(Buffer.byteLength(files.get('store_0002_2025-10-28.json') ?? '') / 1024);
    expect(result.stdout).toContain(`[day 2/3] store_0002_2025-10-28.json ... ok (${kb} KB)\n`);
    expect(result.stdout).toContain('[day 1/3] store_0001_2025-10-27.json ... ok');
    expect(result.stdout).toMatch(/uploaded 6 files over 3 days/);
  });

  it('uploads only the first --days dates, waiting --delay between them', async () => {
    const started = Date.now();
    const result = await run(['--api', `${api.url}/`, '--dir', dir, '--days', '2', '--delay', '0.3']);
    expect(result.code).toBe(0);
    expect(api.puts.map((p) => p.key).sort()).toEqual([
      'uploads/store_0001_2025-10-27.json',
      'uploads/store_0001_2025-10-28.json',
      'uploads/store_0002_2025-10-27.json',
      'uploads/store_0002_2025-10-28.json',
    ]);
    // One pause between the two days, none after the last.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.stdout).toContain('[day 2/2]');
  });

  it('tries the rest after failed requests, then exits non-zero naming the failures', async () => {
    api.failPost.add('store_0001_2025-10-28.json');
    api.failPut.add('store_0002_2025-10-29.json');
    api.garbled.add('store_0002_2025-10-27.json');
    const result = await run(['--api', api.url, '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `[day 2/3] store_0001_2025-10-28.json ... FAILED: POST ${api.url}/uploads answered HTTP 500: {"error"`,
    );
    expect(result.stdout).toContain('[day 3/3] store_0002_2025-10-29.json ... FAILED: PUT answered HTTP 403');
    expect(result.stdout).toContain(
      '[day 1/3] store_0002_2025-10-27.json ... FAILED: unreadable answer from POST ' +
        `${api.url}/uploads: {"message":"ok"}`,
    );
    expect(result.stderr).toContain('3 of 6 uploads failed');
    expect(api.puts.map((p) => p.key).sort()).toEqual([
      'uploads/store_0001_2025-10-27.json',
      'uploads/store_0001_2025-10-29.json',
      'uploads/store_0002_2025-10-28.json',
    ]);
  });

  it('fails when the API cannot be reached', async () => {
    const closed = new FakeApi();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const result = await run(['--api', url, '--dir', dir, '--days', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('store_0001_2025-10-27.json ... FAILED: POST');
    expect(result.stderr).toContain('2 of 2 uploads failed');
  });

  it('rejects bad arguments and a folder without store files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tillflow-empty-'));
    try {
      const noFiles = await run(['--dir', empty]);
      expect(noFiles.code).toBe(2);
      expect(noFiles.stderr).toContain('no store_<NNNN>_<YYYY-MM-DD>.json files');
    } finally {
      rmSync(empty, { recursive: true });
    }
    const badDays = await run(['--days', 'two', '--dir', dir]);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toContain('--days must be a positive integer');
    const unknown = await run(['--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown argument: --dry-run');
  });

  it('prints its usage with --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: upload-sample-data\.sh \[--days N\] \[--delay S\] \[--api URL\] \[--dir DIR\]/,
    );
  });

  it('is an executable bash script with strict mode', () => {
    const text = readFileSync(SCRIPT, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toContain('set -euo pipefail');
    expect(statSync(SCRIPT).mode & 0o111).toBe(0o111);
  });
});
