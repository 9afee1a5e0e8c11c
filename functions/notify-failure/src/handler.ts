import { causeMessage, defineHandler, Env, publish } from '@tillflow/aws';
import { FailureEvent } from './event';

/** The Catch of every workflow Task: reports the failure to the alerts topic, then the workflow fails. */
export const handler = defineHandler(
  {
    name: 'notify-failure',
    config: { ALERTS_TOPIC_ARN: Env.ALERTS_TOPIC_ARN },
    event: FailureEvent,
    correlationId: (e) => e.subject,
  },
  async (event, { config, logger }) => {
    const error = event.error?.Error ?? 'UnknownError';
    const cause = causeMessage(event.error?.Cause);
    const message = [
      `Workflow: ${event.workflow}`,
      `Subject: ${event.subject ?? '(none)'}`,
      `Error: ${error}`,
      `Cause: ${cause}`,
    ].join('\n');
    const messageId = await publish(config.ALERTS_TOPIC_ARN, `Tillflow ${event.workflow} failed: ${error}`, message);
    logger.warn('failure reported', { workflow: event.workflow, error });
    return { notified: true, messageId };
  },
);
