import {
  type AnalyticsRequest,
  addDays,
  isCalendarDate,
  MAX_RANGE_DAYS,
  OPERATION_NAMES,
  OPERATION_PARAMETERS,
  type OperationName,
  ValidationError,
} from '@tillflow/core';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

const CHECKERS = Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, Compile(OPERATION_PARAMETERS[name] as TSchema)]),
) as Record<OperationName, ReturnType<typeof Compile>>;

/** Whether `name` is one of the operations. */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && (OPERATION_NAMES as string[]).includes(name);
}

/**
 * Checks a request against its operation's schema and fills in the defaults: the only way into the SQL builders.
 * An unknown operation, an unknown or malformed parameter, a date not in the calendar, a range backwards or longer
 * than {@link MAX_RANGE_DAYS} days: a ValidationError that names each problem.
 */
export function validateRequest(operation: unknown, parameters: unknown): AnalyticsRequest {
  if (!isOperationName(operation)) {
    throw new ValidationError(
      `operation: expected one of ${OPERATION_NAMES.join(', ')}, got ${JSON.stringify(operation ?? null)}`,
    );
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new ValidationError('parameters: expected an object');
  }
  const schema = OPERATION_PARAMETERS[operation] as TSchema;
  const filled = Value.Default(schema, structuredClone(parameters)) as Record<string, unknown>;
  const checker = CHECKERS[operation];
  if (!checker.Check(filled)) {
    const problems = new Set<string>();
    for (const error of checker.Errors(filled)) {
      const path = ['parameters', ...error.instancePath.split('/').slice(1)].join('.');
      if (error.keyword === 'required') {
        for (const name of error.params.requiredProperties) problems.add(`${path}.${name}: is required`);
      } else if (error.keyword === 'additionalProperties') {
        for (const name of error.params.additionalProperties)
          problems.add(`${path}.${name}: is not a parameter of ${operation}`);
      } else if (error.keyword === 'enum') {
        problems.add(`${path}: expected one of ${error.params.allowedValues.join(', ')}`);
      } else if (error.keyword !== 'anyOf') {
        problems.add(`${path}: ${error.message}`);
      }
    }
    throw new ValidationError(`invalid parameters of ${operation}: ${[...problems].join('; ')}`);
  }
  const { from, to } = filled as { from: string; to: string };
  for (const [name, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isCalendarDate(date)) throw new ValidationError(`parameters.${name}: ${date} is not a calendar date`);
  }
  if (from > to) throw new ValidationError(`parameters: from (${from}) is after to (${to})`);
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) {
    throw new ValidationError(`parameters: the range ${from} to ${to} is longer than ${MAX_RANGE_DAYS} days`);
  }
  return { operation, parameters: filled } as AnalyticsRequest;
}

/**
 * A request's parameters from a query string (`GET /analytics/query?operation=…&from=…&stores=0001,0002`): every value
 * comes as text, so each is read as its schema's type (an array from comma-separated values, numbers as numbers),
 * then checked by {@link validateRequest} like a JSON body.
 */
export function parametersFromQuery(
  operation: OperationName,
  query: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const properties = (OPERATION_PARAMETERS[operation] as { properties: Record<string, TSchema & { type?: string }> })
    .properties;
  const parameters: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(query)) {
    if (name === 'operation' || text === undefined) continue;
    const type = properties[name]?.type;
    if (type === 'array') {
      const items = (properties[name] as { items?: { type?: string } }).items?.type;
      const parts = text.split(',').map((s) => s.trim());
      parameters[name] = items === 'integer' || items === 'number' ? parts.map(asNumber) : parts;
    } else if (type === 'integer' || type === 'number') {
      parameters[name] = asNumber(text);
    } else {
      parameters[name] = text;
    }
  }
  return parameters;
}

/** A number from text, or the text itself so that the schema names what is wrong with it. */
function asNumber(text: string): number | string {
  const n = Number(text);
  return text.trim() === '' || Number.isNaN(n) ? text : n;
}

/**
 * The request as one text that equal requests share: keys sorted at every level, store and channel lists sorted (their
 * order does not change a result). The cache key is built from it.
 */
export function canonicalRequest(request: AnalyticsRequest): string {
  const parameters: Record<string, unknown> = { ...request.parameters };
  for (const list of ['stores', 'channels']) {
    if (Array.isArray(parameters[list])) parameters[list] = [...(parameters[list] as string[])].sort();
  }
  return stableJson({ operation: request.operation, parameters });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
