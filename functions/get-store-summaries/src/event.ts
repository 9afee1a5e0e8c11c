import { AnalysisRef } from '@tillflow/aws';

/** get-store-summaries' event: the analysis to gather for, as daily-analysis starts it. */
export const StoreSummariesEvent = AnalysisRef;
