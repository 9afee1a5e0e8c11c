import { causeMessage } from '@tillflow/aws';
import type { FailureEvent } from './event';

/** The alert notify-failure publishes: one per failed execution, naming the workflow, the step, the subject. */
export interface FailureAlert {
  step: string;
  error: string;
  subject: string;
  message: string;
}

/**
 * The alert for a failed execution. The step is the state whose Catch fired (for a Parallel state, the Parallel: its
 * Cause says which branch's error it was); the cause is the function's error message when the Cause is Lambda's
 * error payload.
 */
export function failureAlert(event: FailureEvent): FailureAlert {
  const [step, caught] = Object.entries(event.failure ?? {})[0] ?? [undefined, event.error];
  const error = caught?.Error ?? 'UnknownError';
  const message = [
    `Workflow: ${event.workflow}`,
    `Step: ${step ?? '(not given)'}`,
    `Subject: ${event.subject ?? '(none)'}`,
    `Error: ${error}`,
    `Cause: ${causeMessage(caught?.Cause)}`,
  ].join('\n');
  const at = step ? ` at ${step}` : '';
  return { step: step ?? '(not given)', error, subject: `Tillflow ${event.workflow} failed${at}: ${error}`, message };
}
