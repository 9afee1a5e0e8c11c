import type { AnalyticsRequest } from '@tillflow/core';
import type { Dialect } from './dialect';
import { OPERATIONS, type ResultColumn } from './operations';
import type { BoundSql } from './sql';

/** A validated request's statement in one dialect, with the columns of its result. */
export function buildQuery(
  request: AnalyticsRequest,
  dialect: Dialect,
): BoundSql & { columns: readonly ResultColumn[] } {
  // The union's members pair each operation with its own parameters; TypeScript cannot follow that through an index.
  const definition = OPERATIONS[request.operation] as unknown as {
    build(p: AnalyticsRequest['parameters'], d: Dialect): BoundSql;
    columns: readonly ResultColumn[];
  };
  return { ...definition.build(request.parameters, dialect), columns: definition.columns };
}
