/**
 * The HTTP API's routes, as API Gateway declares them: `'<METHOD> <path>'` → the function folder that handles it.
 * Paths take `{name}` parameters and a final greedy `{name+}`; the method may be `ANY`. One line per route.
 */
export const API_ROUTES: Readonly<Record<string, string>> = {
  'POST /uploads': 'generate-upload-url',
  'POST /analytics/jobs': 'start-analytics-job',
  'GET /analytics/jobs/{id}': 'get-analytics-job',
  'GET /analytics/query': 'query-analytics',
};
