import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * A business date in a query or a path, `YYYY-MM-DD` on the calendar (`format: date` refuses 2025-02-30).
 */
export const DateParameter = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'a calendar date, YYYY-MM-DD',
  examples: ['2025-10-29'],
});

/** A store id in a query: four digits, as in `store_0001_2025-10-29.json`. */
export const StoreParameter = Type.String({
  pattern: '^\\d{4}$',
  description: 'a store id, four digits',
  examples: ['0001'],
});

/**
 * The one error body of every route: a stable machine-readable `code` (`VALIDATION_ERROR` 400, `UNAUTHORIZED` 401,
 * `NOT_FOUND` 404, `INTERNAL_ERROR` 500, `TRANSIENT_ERROR` 503) and a message for people. Never a stack trace or an
 * internal message. A 404 for a date with no analysis also lists `nearest_dates`, the analysed days closest to it.
 */
export const ApiError = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    nearest_dates: Type.Optional(Type.Array(Type.String())),
  }),
});
export type ApiError = Static<typeof ApiError>;

/** An opaque page token: pass `next_cursor` of one page as `cursor` to get the next. */
export const CursorParameter = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'next_cursor of the previous page',
});

/** Page sizes of the paginated listings. */
export const LimitParameter = Type.Integer({
  minimum: 1,
  maximum: 1000,
  default: 100,
  description: 'items per page (1–1000)',
});
