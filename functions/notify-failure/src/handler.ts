import { defineHandler, Env, MetricUnit, publish } from '@tillflow/aws';
import { failureAlert } from './alert';
import { FailureEvent } from './event';

/**
 * The Catch of every workflow Task: reports the failure to the alerts topic (one message naming the workflow, the
 * step, the upload key or date, the error and its cause), counts it as `WorkflowFailures`, then the workflow fails.
 */
export const handler = defineHandler(
  {
    name: 'notify-failure',
    config: { ALERTS_TOPIC_ARN: Env.ALERTS_TOPIC_ARN },
    event: FailureEvent,
    correlationId: (e) => e.subject,
  },
  async (event, { config, logger, metrics }) => {
    const alert = failureAlert(event);
    const messageId = await publish(config.ALERTS_TOPIC_ARN, alert.subject, alert.message);
    metrics.addDimensions({ workflow: event.workflow, step: alert.step });
    metrics.addMetric('WorkflowFailures', MetricUnit.Count, 1);
    logger.warn('failure reported', { workflow: event.workflow, step: alert.step, error: alert.error });
    return { notified: true, messageId };
  },
);
