import { createReadStream, existsSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, resolve } from 'node:path';
import type { FileEntry, FilesResponse, UploadUrlResponse } from '@tillflow/core';
import { type ApiTarget, apiJson, apiTarget } from './api-client';
import type { CommandOutput } from './command';
import { parseSubcommand } from './subcommand';

/** What `tillflow upload --help` prints. */
export const UPLOAD_USAGE = `Usage: tillflow upload FILE... [options]      (npm start -- upload FILE...)

Uploads store files as a store does, through the HTTP API of a running platform: POST /uploads for a presigned URL,
then a PUT of the file to it, with its progress. Each file must be named store_<NNNN>_<YYYY-MM-DD>.json.

Options (environment variable in brackets):
  --wait                  then wait for each file to be processed or rejected, and say which (GET /files)
  --timeout S             how long --wait waits, default 120 seconds
  --api URL               the API, default http://127.0.0.1:3000        [TILLFLOW_API_URL, TILLFLOW_API_PORT]
  --help                  this text
The API key, when the platform has one, is read from TILLFLOW_API_KEY.`;

const STORE_FILE = /^store_(\d{4})_(\d{4}-\d{2}-\d{2})\.json$/;

/**
 * `tillflow upload FILE...`: each file through `POST /uploads` and a PUT to the presigned URL, one after the other,
 * with a progress line per file. Resolves with the exit code: 0 when every file was stored (and, with `--wait`,
 * processed, rejected lines included), 1 when one was refused, failed, or was rejected whole, 2 for a bad command.
 */
export async function runUploadCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: CommandOutput },
): Promise<number> {
  const { out, err, tty } = options.output;
  const line = parseSubcommand(
    argv,
    {
      name: 'upload',
      usage: UPLOAD_USAGE,
      positionals: true,
      options: {
        wait: { type: 'boolean' },
        timeout: { type: 'string' },
        api: { type: 'string' },
      },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values, positionals: files } = line;
  const usage = (message: string): number => {
    err(`tillflow upload: ${message}\n\n${UPLOAD_USAGE}`);
    return 2;
  };
  if (files.length === 0) return usage('name at least one store file');
  const timeoutSeconds = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    return usage(`--timeout takes seconds, got "${values.timeout}"`);
  const missing = files.find((f) => !existsSync(f) || !statSync(f).isFile());
  if (missing !== undefined) return usage(`${missing}: no such file`);
  let target: ApiTarget;
  try {
    target = apiTarget(values.api as string | undefined, options.env ?? process.env);
  } catch (error) {
    return usage((error as Error).message);
  }

  let failed = 0;
  const stored: { name: string; began: number }[] = [];
  for (const file of files) {
    const name = basename(file);
    const size = statSync(file).size;
    const began = Date.now();
    try {
      const upload = await apiJson<UploadUrlResponse>(target, 'POST', '/uploads', { filename: name });
      let shown = -1;
      await putFile(resolve(file), size, upload, (sent) => {
        const pct = size === 0 ? 100 : Math.floor((sent / size) * 100);
        if (tty && pct !== shown) process.stdout.write(`\r  ${name}  ${pct}% of ${kb(size)}`);
        shown = pct;
      });
      if (tty) process.stdout.write('\r\x1b[2K');
      out(`  uploaded  ${name} (${kb(size)}) → ${upload.key}`);
      stored.push({ name, began });
    } catch (error) {
      if (tty) process.stdout.write('\r\x1b[2K');
      err(`  failed    ${name}: ${(error as Error).message}`);
      failed++;
    }
  }
  if (values.wait) {
    for (const { name, began } of stored) {
      const outcome = await waitForOutcome(target, name, began, timeoutSeconds * 1000);
      if (outcome.ok) out(`  ${outcome.line}`);
      else {
        err(`  ${outcome.line}`);
        failed++;
      }
    }
  }
  out(`${files.length - failed} of ${files.length} files ${values.wait ? 'processed' : 'uploaded'}.`);
  return failed === 0 ? 0 : 1;
}

function kb(size: number): string {
  return size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KB`;
}

/**
 * PUTs the file to the presigned URL with its exact length (S3 refuses a presigned PUT without one), streaming it
 * and calling `onProgress` with the bytes sent. node:http rather than fetch: fetch neither reports upload progress
 * nor lets a caller set Content-Length on a streamed body.
 */
function putFile(
  path: string,
  size: number,
  upload: UploadUrlResponse,
  onProgress: (sent: number) => void,
): Promise<void> {
  const url = new URL(upload.uploadUrl);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolvePut, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { ...upload.headers, 'content-length': String(size) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolvePut();
          else {
            const code = /<Code>([^<]+)<\/Code>/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
            reject(new Error(`the PUT to the upload URL answered ${status}${code ? ` (${code})` : ''}`));
          }
        });
      },
    );
    req.on('error', reject);
    let sent = 0;
    const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
    stream.on('data', (chunk) => {
      sent += chunk.length;
      onProgress(sent);
    });
    stream.on('error', reject);
    stream.pipe(req);
  });
}

/**
 * Watches GET /files for what the pipeline made of an upload: its Parquet file under `processed/` (perhaps with some
 * lines rejected) or the rejection of the whole file, written after the upload began.
 */
async function waitForOutcome(
  target: ApiTarget,
  name: string,
  began: number,
  timeoutMs: number,
): Promise<{ ok: boolean; line: string }> {
  const m = STORE_FILE.exec(name);
  if (!m) return { ok: false, line: `unknown   ${name}: not a store file name, so its outcome cannot be found` };
  const query = `date=${m[2]}&store=${m[1]}`;
  // The storage's clock may be a little behind this one's.
  const fresh = (f: FileEntry) => Date.parse(f.last_modified) >= began - 5_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [processed, rejected] = await Promise.all([
      apiJson<FilesResponse>(target, 'GET', `/files?prefix=processed&${query}`),
      apiJson<FilesResponse>(target, 'GET', `/files?prefix=rejected&${query}`),
    ]);
    const done = processed.files.find(fresh);
    const refused = rejected.files.find(fresh);
    if (done) {
      const some = refused?.rejected_lines ? `, ${refused.rejected_lines} lines rejected (${refused.key})` : '';
      return { ok: true, line: `processed ${name} → ${done.key}${some}` };
    }
    if (refused?.reason) return { ok: false, line: `rejected  ${name}: ${refused.reason} (${refused.key})` };
    await new Promise((r) => setTimeout(r, 500));
  }
  return { ok: false, line: `waiting   ${name}: not processed after ${Math.round(timeoutMs / 1000)} s` };
}
