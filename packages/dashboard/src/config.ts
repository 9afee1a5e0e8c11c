/** Set at build time from `TILLFLOW_DASHBOARD_API_URL` (vite.config.ts); empty means the page's own origin. */
declare const __TILLFLOW_API_URL__: string;

/** Where the dashboard finds the API and how it shows money. */
export interface DashboardConfig {
  /** The API's base URL without a trailing slash; '' for the page's own origin (the local platform). */
  apiUrl: string;
  /** ISO 4217 code the figures are shown in (the store files carry none). */
  currency: string;
}

const STORAGE_KEY = 'tillflow.apiKey';

/**
 * The configuration: `config.json` beside `index.html` when the site has one (a deployment writes it, so one build
 * serves any environment), over the build-time URL, over the page's origin. A missing or unreadable `config.json` is
 * not an error: the local platform serves none.
 */
export async function loadConfig(): Promise<DashboardConfig> {
  const config: DashboardConfig = { apiUrl: __TILLFLOW_API_URL__, currency: 'USD' };
  try {
    const answer = await fetch('./config.json', { headers: { accept: 'application/json' } });
    if (answer.ok && (answer.headers.get('content-type') ?? '').includes('json')) {
      const file = (await answer.json()) as Partial<DashboardConfig>;
      if (typeof file.apiUrl === 'string') config.apiUrl = file.apiUrl;
      if (typeof file.currency === 'string' && /^[A-Z]{3}$/.test(file.currency)) config.currency = file.currency;
    }
  } catch {
    // No config.json: the defaults stand.
  }
  config.apiUrl = config.apiUrl.replace(/\/+$/, '');
  return config;
}

/** The API key the user entered (sent as `x-api-key`; the local platform asks for one when TILLFLOW_API_KEY is set). */
export function storedApiKey(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keeps the API key in this browser (empty clears it). */
export function storeApiKey(key: string): void {
  try {
    if (key) localStorage.setItem(STORAGE_KEY, key);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the key lasts for this page only.
  }
}
