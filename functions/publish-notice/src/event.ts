import { AnalysisRef } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * publish-notice's event: the notices of daily-analysis that are not the report. `no-data`: the day has no data (to
 * the report topic, in place of the report); `partial-failure`: its insights fell back after a failed step (to the
 * alerts topic, before the report goes out), with the message generate-recommendations wrote.
 */
export const NoticeEvent = Type.Union([
  Type.Object({ ...AnalysisRef.properties, notice: Type.Literal('no-data') }),
  Type.Object({
    ...AnalysisRef.properties,
    notice: Type.Literal('partial-failure'),
    message: Type.String({ minLength: 1 }),
  }),
]);
export type NoticeEvent = Static<typeof NoticeEvent>;
