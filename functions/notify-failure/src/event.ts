import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** notify-failure's event: which workflow failed, about what, and the error of the Catch that sent it here. */
export const FailureEvent = Type.Object({
  workflow: Type.String({ minLength: 1 }),
  /** What the failed execution was about: an upload key, or a business date. */
  subject: Type.Optional(Type.String()),
  /** A Catch's error output: Step Functions' `{Error, Cause}`. */
  error: Type.Object({ Error: Type.Optional(Type.String()), Cause: Type.Optional(Type.String()) }),
});
export type FailureEvent = Static<typeof FailureEvent>;
