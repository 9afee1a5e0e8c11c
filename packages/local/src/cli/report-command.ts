import type { DatesResponse, ReportResponse } from '@tillflow/core';
import { ApiAnswerError, apiJson, apiTarget } from './api-client';
import type { CommandOutput } from './command';
import { parseSubcommand } from './subcommand';

/** What `tillflow report --help` prints. */
export const REPORT_USAGE = `Usage: tillflow report [--date YYYY-MM-DD] [options]      (npm start -- report ...)

Prints a day's report as it was sent (the text form; --html for the HTML), read through the HTTP API of a running
platform (GET /reports/{date}). Without --date: the latest analysed day (GET /dates).

Options (environment variable in brackets):
  --date D                the business day, default the latest analysed day
  --html                  print the HTML form
  --api URL               the API, default http://127.0.0.1:3000        [TILLFLOW_API_URL, TILLFLOW_API_PORT]
  --help                  this text
The API key, when the platform has one, is read from TILLFLOW_API_KEY.`;

/**
 * `tillflow report [--date D]`: the day's report through the API. Resolves with the exit code: 0, 1 when the API
 * refuses or does not answer (its message, and the nearest analysed days for an unknown date), 2 for a bad command.
 */
export async function runReportCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: CommandOutput },
): Promise<number> {
  const { out, err } = options.output;
  const line = parseSubcommand(
    argv,
    {
      name: 'report',
      usage: REPORT_USAGE,
      options: {
        date: { type: 'string' },
        html: { type: 'boolean' },
        api: { type: 'string' },
      },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values } = line;
  const date = values.date as string | undefined;
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    err(`tillflow report: --date takes a day as YYYY-MM-DD, got "${date}"\n\n${REPORT_USAGE}`);
    return 2;
  }
  try {
    const target = apiTarget(values.api as string | undefined, options.env ?? process.env);
    let day = date;
    if (!day) {
      const dates = await apiJson<DatesResponse>(target, 'GET', '/dates');
      if (!dates.latest) {
        err('tillflow report: no day has been analysed yet (upload store files first: tillflow upload FILE...)');
        return 1;
      }
      day = dates.latest;
    }
    const report = await apiJson<ReportResponse>(target, 'GET', `/reports/${day}`);
    out(values.html ? report.html : report.text);
    return 0;
  } catch (error) {
    const nearest = error instanceof ApiAnswerError && error.nearestDates.length > 0;
    err(
      `tillflow report: ${(error as Error).message}` +
        (nearest ? ` (analysed days nearby: ${(error as ApiAnswerError).nearestDates.join(', ')})` : ''),
    );
    return 1;
  }
}
