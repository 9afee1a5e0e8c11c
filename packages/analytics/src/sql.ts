/** A value bound to a `?` placeholder: never spliced into the SQL text. */
export type SqlValue = string | number | boolean;

/** SQL text with `?` placeholders and the values bound to them, in order. */
export interface BoundSql {
  sql: string;
  params: SqlValue[];
}

/**
 * Collects bound values while an operation writes its SQL: `text(x)`, `integer(x)`, `real(x)` return a placeholder and record `x`, so that a value
 * from a request can only ever reach the engine as a parameter. Identifiers (columns, functions, units) come from the
 * operations' fixed lists, never from a request.
 */
export class Binder {
  private readonly values: SqlValue[] = [];

  /**
   * A placeholder's marker: the value's index between two private-use characters (U+E000), which no SQL text of an operation holds.
   * {@link done} orders the values as their markers appear in the text, so that an operation may bind its values in
   * any order (a CTE written before the clause that uses it, say) and the `?` still get the right ones.
   */
  private mark(value: SqlValue): string {
    this.values.push(value);
    return `\uE000${this.values.length - 1}\uE000`;
  }

  /**
   * A placeholder for a text value, typed by a CAST: neither engine then has to infer a parameter's type from where it
   * stands (DuckDB cannot in a `CASE ... THEN ?`).
   */
  text(value: string): string {
    return `CAST(${this.mark(value)} AS VARCHAR)`;
  }

  /** A placeholder for a whole number. */
  integer(value: number): string {
    if (!Number.isSafeInteger(value)) throw new Error(`${value} is not a safe integer`);
    return `CAST(${this.mark(value)} AS BIGINT)`;
  }

  /** A placeholder for a decimal number. */
  real(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
    return `CAST(${this.mark(value)} AS DOUBLE)`;
  }

  /** `(?, ?, ?)` of text values for `IN`; a non-empty list (the schemas' `minItems`). */
  list(values: readonly string[]): string {
    if (values.length === 0) throw new Error('an IN list needs at least one value');
    return `(${values.map((v) => this.text(v)).join(', ')})`;
  }

  /** The statement with `?` placeholders and its values in the order of the placeholders. */
  done(sql: string): BoundSql {
    const params: SqlValue[] = [];
    const text = sql.replace(/\uE000(\d+)\uE000/g, (_, index: string) => {
      params.push(this.values[Number(index)] as SqlValue);
      return '?';
    });
    return { sql: text.replace(/\n\s*/g, ' ').trim(), params };
  }
}
