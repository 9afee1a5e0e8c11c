import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { OPERATION_NAMES, OPERATION_PARAMETERS } from '../analytics-operations.schema';

const Operation = Type.Enum([...OPERATION_NAMES], {
  description: 'one of the fixed analytics operations (docs/operations.md, "Analytics jobs")',
});

/** `POST /analytics/jobs` body: an operation and its parameters (checked against that operation's schema). */
export const AnalyticsJobRequest = Type.Object(
  {
    operation: Operation,
    parameters: Type.Record(Type.String(), Type.Unknown(), {
      description: "the operation's parameters: from and to (YYYY-MM-DD), stores, and the operation's own",
    }),
  },
  { additionalProperties: false, required: ['operation'] },
);
export type AnalyticsJobRequest = Static<typeof AnalyticsJobRequest>;

/** `GET /analytics/jobs/{id}` path: the job id `POST /analytics/jobs` answered. */
export const AnalyticsJobPath = Type.Object({
  id: Type.String({
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description: 'a job id (a UUID)',
  }),
});
export type AnalyticsJobPath = Static<typeof AnalyticsJobPath>;

/**
 * `GET /analytics/query` parameters: `operation` and that operation's parameters, as text (a list comma-separated:
 * `stores=0001,0002`). Every operation's parameter is named here, so that the kit refuses a name no operation takes;
 * which ones apply, and their types, is the operation's schema, checked next.
 */
export const AnalyticsQueryParameters = Type.Object({
  operation: Operation,
  ...Object.fromEntries(
    [...new Set(OPERATION_NAMES.flatMap((name) => Object.keys(OPERATION_PARAMETERS[name].properties)))].map((name) => [
      name,
      Type.Optional(Type.String({ description: `${name} (see the operation)` })),
    ]),
  ),
});

/** A job's state. */
export const AnalyticsJobStatus = Type.Enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']);

/** `POST /analytics/jobs` 202, and `GET /analytics/query` 202 when the query would take longer than its budget. */
export const AnalyticsJobAccepted = Type.Object({
  job_id: Type.String(),
  status: AnalyticsJobStatus,
  operation: Operation,
  links: Type.Object({ self: Type.String({ description: 'GET this for the status and the result' }) }),
});
export type AnalyticsJobAccepted = Static<typeof AnalyticsJobAccepted>;

/** One result column: its name and how its values are typed. */
const ResultColumnSchema = Type.Object({
  name: Type.String(),
  kind: Type.Enum(['text', 'integer', 'number', 'boolean']),
});

/** `GET /analytics/jobs/{id}` 200 (and `GET /analytics/query` 200): the job and, once it succeeded, its result. */
export const AnalyticsJobView = Type.Object({
  job_id: Type.String(),
  operation: Operation,
  parameters: Type.Record(Type.String(), Type.Unknown()),
  status: AnalyticsJobStatus,
  requester: Type.String(),
  engine: Type.String(),
  created_at: Type.String(),
  started_at: Type.Optional(Type.String()),
  finished_at: Type.Optional(Type.String()),
  cached: Type.Optional(
    Type.Boolean({ description: 'the result is an identical earlier request’s, on the same lake' }),
  ),
  lake_version: Type.Optional(Type.String()),
  row_count: Type.Optional(Type.Integer({ minimum: 0 })),
  result: Type.Optional(
    Type.Object({
      columns: Type.Array(ResultColumnSchema),
      rows: Type.Array(
        Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
      ),
    }),
  ),
  result_url: Type.Optional(Type.String({ description: 'a presigned GET of the result (more than 1,000 rows)' })),
  result_url_expires_in: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.Object({ name: Type.String(), message: Type.String() })),
});
export type AnalyticsJobView = Static<typeof AnalyticsJobView>;
