import type { ResultRow, ResultValue } from './engine';
import type { ColumnKind, ResultColumn } from './operations';

/** Significant digits kept of a DOUBLE: enough for any ratio, and the same text from both engines. */
const DOUBLE_DIGITS = 12;

/**
 * A cell as JSON of its column's kind, from what an engine returns: DuckDB gives BIGINT and HUGEINT sums as bigint,
 * Athena gives every value as text. A whole number beyond 2^53 cannot be a JSON number without loss: it fails.
 */
export function toResultValue(value: unknown, kind: ColumnKind, column: string): ResultValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
      return String(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : String(value) === 'true';
    case 'integer': {
      const n = typeof value === 'bigint' ? value : BigInt(String(value));
      if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new Error(`${column}: ${n} is beyond what JSON carries exactly`);
      }
      return Number(n);
    }
    case 'number': {
      const n = Number(value);
      if (Number.isNaN(n)) return null;
      return Number(n.toPrecision(DOUBLE_DIGITS));
    }
  }
}

/** Rows as the operation's columns, in order, typed. */
export function toResultRows(rows: readonly Record<string, unknown>[], columns: readonly ResultColumn[]): ResultRow[] {
  return rows.map((row) => {
    const out: ResultRow = {};
    for (const { name, kind } of columns) out[name] = toResultValue(row[name], kind, name);
    return out;
  });
}
