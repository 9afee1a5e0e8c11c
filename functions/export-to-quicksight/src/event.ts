import { FactsRef } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** export-to-quicksight's event: the facts and the insights of the day's analysis. */
export const ExportEvent = Type.Object({ ...FactsRef.properties, insightsKey: Type.String({ minLength: 1 }) });
export type ExportEvent = Static<typeof ExportEvent>;
