import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * trigger-daily-analysis' event: the EventBridge Scheduler event, of which only `time` (when the cut-off was due) is
 * read; without it the cut-off is now. Other fields are allowed and ignored.
 */
export const CutoffEvent = Type.Object({ id: Type.Optional(Type.String()), time: Type.Optional(Type.String()) });
export type CutoffEvent = Static<typeof CutoffEvent>;
