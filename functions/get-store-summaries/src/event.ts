import { AnalysisRef } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * get-store-summaries' event: the analysis to gather for, as daily-analysis starts it, or only its date when an
 * operator starts daily-analysis by hand with `{"date": …}` (docs/operations.md): the step then resolves the revision.
 */
export const StoreSummariesEvent = Type.Object({
  date: AnalysisRef.properties.date,
  revision: Type.Optional(AnalysisRef.properties.revision),
});
export type StoreSummariesEvent = Static<typeof StoreSummariesEvent>;
