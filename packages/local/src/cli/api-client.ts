import { DEFAULT_PORTS } from '../platform';

/** How the API commands (`report`, `upload`, `open`) reach a running platform's HTTP API. */
export interface ApiTarget {
  /** Base URL without a trailing slash: `http://127.0.0.1:3000`. */
  base: string;
  /** `TILLFLOW_API_KEY`, sent as `x-api-key` when set. */
  apiKey?: string;
}

/**
 * The API of a running platform: `--api URL`, else `TILLFLOW_API_URL`, else 127.0.0.1 on `TILLFLOW_API_PORT` (default
 * 3000), the port `npm start` serves on. Throws for a URL that is not http(s).
 */
export function apiTarget(flag: string | undefined, env: Record<string, string | undefined>): ApiTarget {
  const port = env.TILLFLOW_API_PORT || String(DEFAULT_PORTS.api);
  const raw = flag ?? env.TILLFLOW_API_URL ?? `http://127.0.0.1:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--api takes a URL (http://127.0.0.1:3000), got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--api takes an http(s) URL, got "${raw}"`);
  const base = url.href.replace(/\/+$/, '');
  return env.TILLFLOW_API_KEY ? { base, apiKey: env.TILLFLOW_API_KEY } : { base };
}

/** An API answer that is not a success, with the API's `{error: {code, message}}` when it sent one. */
export class ApiAnswerError extends Error {
  override readonly name = 'ApiAnswerError';
  constructor(
    readonly status: number,
    message: string,
    readonly nearestDates: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * A JSON request to the API; throws {@link ApiAnswerError} for an error answer (its message is the API's) and for no
 * answer at all (status 0: nothing listens there, with the hint to start the platform).
 */
export async function apiJson<T>(target: ApiTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let answer: Response;
  try {
    answer = await fetch(`${target.base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(target.apiKey ? { 'x-api-key': target.apiKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ApiAnswerError(0, `no API answers at ${target.base} (${cause}): is the platform running (npm start)?`);
  }
  const text = await answer.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!answer.ok) {
    const e = (json as { error?: { message?: string; nearest_dates?: string[] } } | undefined)?.error;
    throw new ApiAnswerError(
      answer.status,
      `${method} ${path} answered ${answer.status}: ${e?.message ?? (text.slice(0, 200) || 'no body')}`,
      e?.nearest_dates ?? [],
    );
  }
  if (json === undefined) throw new ApiAnswerError(answer.status, `${method} ${path} did not answer JSON`);
  return json as T;
}
