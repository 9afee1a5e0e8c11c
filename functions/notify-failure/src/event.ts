import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** A Catch's error output: Step Functions' `{Error, Cause}`. */
const CaughtError = Type.Object({ Error: Type.Optional(Type.String()), Cause: Type.Optional(Type.String()) });

/**
 * notify-failure's event: which workflow failed, about what, and the error of the Catch that sent it here. Each
 * Catch writes its error under the name of its state (`"ResultPath": "$.failure.ProcessUpload"`), since Step
 * Functions does not tell the next state which one failed: `failure` is then `{"ProcessUpload": {Error, Cause}}`.
 * `error` is the same without the step (a direct invocation).
 */
export const FailureEvent = Type.Object({
  workflow: Type.String({ minLength: 1 }),
  /** What the failed execution was about: an upload key, or a business date. */
  subject: Type.Optional(Type.String()),
  failure: Type.Optional(Type.Record(Type.String(), CaughtError)),
  error: Type.Optional(CaughtError),
});
export type FailureEvent = Static<typeof FailureEvent>;
