import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { deadLetter, messageBody, singleMessage } from '../lib/messaging/queue-settlement';
import { QueueNames } from '../lib/messaging/topology';
import { acceptTripRequest, waitForJobToEnd } from '../orchestrations/trip-generation/intake';
import { tripRequestParsing } from '../orchestrations/trip-generation/request-parsing';

/** How often the trigger looks at the job it is holding the session for. */
const JOB_POLL_INTERVAL_MS = 1_000;
/** Past the job's own deadline, a little slack for the failure to be recorded. */
const JOB_WAIT_SLACK_MS = 5 * 60_000;

/**
 * ai-trip-generation: one message = one trip generation job. The message is settled explicitly
 * (sdkBinding): a malformed request is dead-lettered at once with reason ValidationFailed and the
 * field list (retrying cannot fix it); a valid one is completed once its job has ended, so jobs of one
 * session run one at a time in arrival order. A throw leaves the message to be redelivered.
 */
app.serviceBusQueue('tripGenerationQueue', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.tripGeneration,
  isSessionsEnabled: true,
  sdkBinding: true,
  autoCompleteMessages: false,
  cardinality: 'one',
  extraInputs: [df.input.durableClient()],
  handler: async (trigger: unknown, context: InvocationContext) => {
    const { message, actions } = singleMessage(trigger);
    const services = appServices();
    const client = df.getClient(context);
    const decision = await acceptTripRequest(messageBody(message), message.messageId?.toString(), client, {
      jobStore: () => services.jobStore(),
      ...tripRequestParsing,
      maxProcessingTimeMs: services.settings.ai.maxProcessingTimeMs,
      modelParallelism: services.settings.ai.modelParallelism,
    });
    if (decision.kind === 'invalid') {
      context.warn(`Dead-lettering message ${String(message.messageId)}: ${decision.description}`);
      await deadLetter(actions, message, decision.reason, decision.description);
      return;
    }
    context.log(
      `Job ${decision.jobId}: ${decision.kind === 'started' ? 'started' : 'already known, not started again'}`,
    );
    await waitForJobToEnd(client, decision.instanceId, {
      pollIntervalMs: JOB_POLL_INTERVAL_MS,
      timeoutMs: services.settings.ai.maxProcessingTimeMs + JOB_WAIT_SLACK_MS,
    });
    await actions.complete(message);
  },
});
