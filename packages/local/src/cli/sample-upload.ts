import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How one file's upload went. */
export interface UploadResult {
  file: string;
  ok: boolean;
  /** Why the upload failed (an HTTP status and the API's error message, or a network error). */
  error?: string;
}

const STORE_FILE = /^store_(\d{4})_(\d{4}-\d{2}-\d{2})\.json$/;

/** The `store_<NNNN>_<YYYY-MM-DD>.json` files of a folder, by date then store, as a chain's day arrives. */
export function storeFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((f) => STORE_FILE.test(f))
    .sort((a, b) => {
      const [, sa, da] = STORE_FILE.exec(a) as RegExpExecArray;
      const [, sb, db] = STORE_FILE.exec(b) as RegExpExecArray;
      return (da as string).localeCompare(db as string) || (sa as string).localeCompare(sb as string);
    });
}

/** The store ids the given store file names name, sorted, each once. */
export function storeIdsOf(files: readonly string[]): string[] {
  return [...new Set(files.map((f) => (STORE_FILE.exec(f) as RegExpExecArray)[1] as string))].sort();
}

/**
 * Uploads each store file the way a store does: `POST /uploads {filename}` to the API for a presigned URL, then a PUT
 * of the file to that URL with the headers the API returned. At most `concurrency` files at a time.
 */
export async function uploadStoreFiles(
  apiBase: string,
  dataDir: string,
  options: {
    concurrency?: number;
    files?: string[];
    /** The API key (`TILLFLOW_API_KEY`), sent as `x-api-key`. */
    apiKey?: string;
    onUploaded?: (result: UploadResult, done: number, total: number) => void;
  } = {},
): Promise<UploadResult[]> {
  const files = options.files ?? storeFiles(dataDir);
  const results: UploadResult[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] as string;
      results[i] = await uploadOne(apiBase, join(dataDir, file), file, options.apiKey);
      options.onUploaded?.(results[i] as UploadResult, ++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, files.length) }, worker));
  return results;
}

async function uploadOne(apiBase: string, path: string, file: string, apiKey?: string): Promise<UploadResult> {
  try {
    const answer = await fetch(`${apiBase}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      body: JSON.stringify({ filename: file }),
    });
    const body = (await answer.json().catch(() => ({}))) as {
      uploadUrl?: string;
      headers?: Record<string, string>;
      error?: { message?: string };
    };
    if (!answer.ok || !body.uploadUrl) {
      return {
        file,
        ok: false,
        error: `POST /uploads answered ${answer.status}: ${body.error?.message ?? 'no uploadUrl'}`,
      };
    }
    const put = await fetch(body.uploadUrl, { method: 'PUT', headers: body.headers ?? {}, body: readFileSync(path) });
    if (!put.ok) return { file, ok: false, error: `the PUT to the upload URL answered ${put.status}` };
    await put.arrayBuffer();
    return { file, ok: true };
  } catch (error) {
    return { file, ok: false, error: (error as Error).message };
  }
}
