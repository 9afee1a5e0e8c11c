import { defineHttpHandler, Env } from '@tillflow/aws';
import { ReportPath, ReportQuery } from '@tillflow/core';
import { readReport } from './report';

const MEDIA_TYPES = { text: 'text/plain; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

/**
 * `GET /reports/{date}`: the day's report as sent. `?format=json` (default) answers both forms and their keys;
 * `text` and `html` answer the report itself, for a terminal or a browser.
 */
export const handler = defineHttpHandler(
  { name: 'get-report', config: { BUCKET_NAME: Env.BUCKET_NAME }, params: ReportPath, query: ReportQuery },
  async (_event, { config, params, query, logger }) => {
    const report = await readReport(config.BUCKET_NAME, params.date);
    const format = query.format ?? 'json';
    logger.info('report read', { date: params.date, format });
    if (format === 'json') return { statusCode: 200, body: report };
    return {
      statusCode: 200,
      body: format === 'text' ? report.text : report.html,
      headers: { 'content-type': MEDIA_TYPES[format] },
    };
  },
);
