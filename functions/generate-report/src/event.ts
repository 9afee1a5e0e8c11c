import { FactsRef } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** generate-report's event: the facts and the insights of the day's analysis. */
export const ReportEvent = Type.Object({ ...FactsRef.properties, insightsKey: Type.String({ minLength: 1 }) });
export type ReportEvent = Static<typeof ReportEvent>;
