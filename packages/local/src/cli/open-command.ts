import { spawn } from 'node:child_process';
import { apiTarget } from './api-client';
import type { CommandOutput } from './command';
import { parseSubcommand } from './subcommand';

/** What `tillflow open --help` prints. */
export const OPEN_USAGE = `Usage: tillflow open [--browser] [options]      (npm start -- open)

Prints the URL of the dashboard of a running platform (the HTTP API serves it at /), after checking that it answers;
with --browser, also opens it (xdg-open).

Options (environment variable in brackets):
  --browser               open the URL in the desktop's browser
  --api URL               the API, default http://127.0.0.1:3000        [TILLFLOW_API_URL, TILLFLOW_API_PORT]
  --help                  this text`;

/**
 * `tillflow open [--browser]`: the dashboard's URL. Resolves with the exit code: 0; 1 when nothing answers there, the
 * dashboard is not built, or the browser cannot be started; 2 for a bad command line.
 */
export async function runOpenCommand(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    output: CommandOutput;
    /** Opens a URL (default: `xdg-open URL`, detached); tests pass their own. */
    openUrl?: (url: string) => Promise<void>;
  },
): Promise<number> {
  const { out, err } = options.output;
  const line = parseSubcommand(
    argv,
    {
      name: 'open',
      usage: OPEN_USAGE,
      options: { browser: { type: 'boolean' }, api: { type: 'string' } },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values } = line;
  let url: string;
  try {
    url = `${apiTarget(values.api as string | undefined, options.env ?? process.env).base}/`;
  } catch (error) {
    err(`tillflow open: ${(error as Error).message}`);
    return 2;
  }
  try {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    const html = (page.headers.get('content-type') ?? '').startsWith('text/html');
    await page.arrayBuffer();
    if (!page.ok || !html) {
      err(`tillflow open: ${url} answers ${page.status} without the dashboard: build it (npm run build) and restart`);
      return 1;
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    err(`tillflow open: nothing answers at ${url} (${cause}): start the platform first (npm start)`);
    return 1;
  }
  out(url);
  if (values.browser) {
    try {
      await (options.openUrl ?? xdgOpen)(url);
    } catch (error) {
      err(`tillflow open: could not open a browser (${(error as Error).message}); open ${url} yourself`);
      return 1;
    }
  }
  return 0;
}

/** `xdg-open URL`, detached so that the browser outlives the command; rejects when xdg-open cannot be started. */
function xdgOpen(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
