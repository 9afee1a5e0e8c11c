import { API_ROUTE_SPECS } from '@tillflow/core';

/**
 * The HTTP API's routes, as API Gateway declares them: `'<METHOD> <path>'` → the function folder that handles it.
 * Paths take `{name}` parameters and a final greedy `{name+}`; the method may be `ANY`. Derived from the API's route
 * table (`API_ROUTE_SPECS` in packages/core, which the OpenAPI document is generated from); Terraform's
 * `local.api_routes` is compared with it by infrastructure/test/platform.test.ts.
 */
export const API_ROUTES: Readonly<Record<string, string>> = Object.fromEntries(
  API_ROUTE_SPECS.map((r) => [`${r.method} ${r.path}`, r.handler]),
);
