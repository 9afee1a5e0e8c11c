import type {
  AnalyticsJobAccepted,
  AnalyticsJobRequest,
  AnalyticsJobView,
  AnalyticsResponse,
  DatesResponse,
  DownloadUrlResponse,
  FilePrefix,
  FilesResponse,
  MarketplaceAnalyticsResponse,
  MarketplaceReportsResponse,
  QualityResponse,
  RejectionsResponse,
  ReportResponse,
  StoresResponse,
  TrendsResponse,
  UploadUrlResponse,
} from '@tillflow/core';
import type { LocalMailResponse } from '@tillflow/local';
import { type DashboardConfig, storedApiKey } from './config';

/** An answer of the API that is not a success, with the API's own `{error: {code, message}}` when it sent one. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For a 404 of a day without analysis: the analysed days closest to it. */
    readonly nearestDates: readonly string[] = [],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

/**
 * The header a credential goes in: a JWT (three base64url parts, what the Cognito authorizer in AWS wants) as
 * `Authorization: Bearer`, anything else as the local platform's `x-api-key` (`TILLFLOW_API_KEY`).
 */
export function credentialHeader(credential: string): Record<string, string> {
  if (!credential) return {};
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential)) return { authorization: `Bearer ${credential}` };
  return { 'x-api-key': credential };
}

/** The HTTP API as the dashboard uses it: one method per route, typed by the API's schemas (`@tillflow/core`). */
export class ApiClient {
  constructor(private readonly config: DashboardConfig) {}

  /** The absolute URL of a path of the API. */
  url(path: string, query: Query = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined && value !== '') search.set(name, String(value));
    const qs = search.toString();
    const base = this.config.apiUrl || window.location.origin;
    return `${base}${path}${qs ? `?${qs}` : ''}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...credentialHeader(storedApiKey()), ...extra };
  }

  private async request<T>(method: 'GET' | 'POST', path: string, query: Query = {}, body?: unknown): Promise<T> {
    let answer: Response;
    try {
      answer = await fetch(this.url(path, query), {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiRequestError(
        0,
        'NETWORK_ERROR',
        `The API at ${this.url('')} cannot be reached (${(error as Error).message}).`,
      );
    }
    const text = await answer.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!answer.ok) {
      const error = (json as { error?: { code?: string; message?: string; nearest_dates?: string[] } } | undefined)
        ?.error;
      throw new ApiRequestError(
        answer.status,
        error?.code ?? `HTTP_${answer.status}`,
        error?.message ?? `${method} ${path} answered ${answer.status}.`,
        error?.nearest_dates ?? [],
      );
    }
    if (json === undefined)
      throw new ApiRequestError(answer.status, 'BAD_RESPONSE', `${method} ${path} did not answer JSON.`);
    return json as T;
  }

  analytics(date?: string): Promise<AnalyticsResponse> {
    return this.request('GET', '/analytics', { date });
  }

  trends(query: { store?: string; days?: number; date?: string }): Promise<TrendsResponse> {
    return this.request('GET', '/trends', query);
  }

  stores(): Promise<StoresResponse> {
    return this.request('GET', '/stores');
  }

  dates(): Promise<DatesResponse> {
    return this.request('GET', '/dates');
  }

  files(query: {
    prefix: FilePrefix;
    date?: string;
    store?: string;
    cursor?: string;
    limit?: number;
  }): Promise<FilesResponse> {
    return this.request('GET', '/files', query);
  }

  rejections(key: string, cursor?: string): Promise<RejectionsResponse> {
    return this.request('GET', '/files/rejections', { key, cursor, limit: 50 });
  }

  downloadUrl(key: string): Promise<DownloadUrlResponse> {
    return this.request('GET', '/download-url', { key });
  }

  quality(date: string): Promise<QualityResponse> {
    return this.request('GET', '/quality', { date });
  }

  report(date: string): Promise<ReportResponse> {
    return this.request('GET', `/reports/${encodeURIComponent(date)}`);
  }

  marketplaceReports(): Promise<MarketplaceReportsResponse> {
    return this.request('GET', '/analytics/marketplace/reports', { limit: 1000 });
  }

  marketplace(report: string): Promise<MarketplaceAnalyticsResponse> {
    return this.request('GET', '/analytics/marketplace', { report });
  }

  startJob(request: AnalyticsJobRequest): Promise<AnalyticsJobAccepted> {
    return this.request('POST', '/analytics/jobs', {}, request);
  }

  job(id: string): Promise<AnalyticsJobView> {
    return this.request('GET', `/analytics/jobs/${encodeURIComponent(id)}`);
  }

  /**
   * The emails the local platform's SES accepted (`GET /local/mail`, a route of the local gateway only), or null where
   * there is no such route (the deployed API answers 404): the caller then shows no mail list.
   */
  async localMail(): Promise<LocalMailResponse | null> {
    try {
      return await this.request<LocalMailResponse>('GET', '/local/mail');
    } catch (error) {
      if (error instanceof ApiRequestError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  /**
   * Uploads one store file as a store does (or a marketplace report, given its channel): `POST /uploads` for a presigned PUT, then the PUT itself with the headers
   * the API named. XMLHttpRequest rather than fetch: only it reports upload progress (`onProgress`, 0–1).
   */
  async upload(
    file: File,
    onProgress: (fraction: number) => void,
    /** A marketplace report's channel (`uploads/marketplace/<channel>/<name>.csv`); none for a store file. */
    channel?: string,
  ): Promise<UploadUrlResponse> {
    const target = await this.request<UploadUrlResponse>(
      'POST',
      '/uploads',
      {},
      { filename: file.name, ...(channel ? { channel } : {}) },
    );
    await new Promise<void>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', target.uploadUrl);
      for (const [name, value] of Object.entries(target.headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve();
        } else
          reject(
            new ApiRequestError(xhr.status, 'UPLOAD_FAILED', `The storage refused the file (HTTP ${xhr.status}).`),
          );
      };
      xhr.onerror = () =>
        reject(new ApiRequestError(0, 'NETWORK_ERROR', 'The upload was interrupted (network error).'));
      xhr.send(file);
    });
    return target;
  }
}
