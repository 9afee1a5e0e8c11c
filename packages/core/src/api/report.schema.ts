import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate } from '../store-summary.schema';
import { DateParameter } from './common.schema';

/** `GET /reports/{date}`. */
export const ReportPath = Type.Object({ date: DateParameter });
export type ReportPath = Static<typeof ReportPath>;

/** `?format=json` (default) answers both forms in JSON; `text` and `html` answer the report itself. */
export const ReportQuery = Type.Object({
  format: Type.Optional(Type.Enum(['json', 'text', 'html'], { default: 'json' })),
});
export type ReportQuery = Static<typeof ReportQuery>;

/** `GET /reports/{date}` 200 (JSON): the day's report as sent, in both forms, and where it is kept. */
export const ReportResponse = Type.Object({
  date: BusinessDate,
  text: Type.String(),
  html: Type.String(),
  text_key: Type.String(),
  html_key: Type.String(),
  last_modified: Type.String({ description: 'ISO 8601' }),
});
export type ReportResponse = Static<typeof ReportResponse>;
