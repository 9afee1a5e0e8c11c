import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** A dependency's reachability and how long the check took. */
export const DependencyCheck = Type.Object({
  ok: Type.Boolean(),
  latency_ms: Type.Integer({ minimum: 0 }),
  /** What failed, in a word (`unreachable`, `forbidden`, `missing`); null when ok. */
  problem: Type.Union([Type.String(), Type.Null()]),
});
export type DependencyCheck = Static<typeof DependencyCheck>;

/** `GET /health`: 200 when every dependency answers, else 503 with the same body. */
export const HealthResponse = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  version: Type.String(),
  checks: Type.Object({ bucket: DependencyCheck, sales_table: DependencyCheck }),
});
export type HealthResponse = Static<typeof HealthResponse>;
