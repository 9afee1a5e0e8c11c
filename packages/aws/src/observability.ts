import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tillflow';

/** The process's tracer: captures AWS calls as X-Ray subsegments in Lambda, does nothing outside it. */
export const tracer = new Tracer({ serviceName });

/** The root logger (structured JSON). Handlers get a child with their function name. */
export const rootLogger = new Logger({ serviceName });

export type { Logger };
