import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { deadLetter, messageBody, singleMessage } from '../lib/messaging/queue-settlement';
import { queueDefinition } from '../lib/messaging/topology';
import { acceptJob } from '../orchestrations/kit/intake';
import type { JobRequest, WorkflowDefinition } from '../orchestrations/kit/workflow-definition';
import { WORKFLOWS, queueFunctionName } from '../orchestrations/workflows';

/**
 * One trigger per workflow queue. Each settles its message in seconds (sdkBinding, explicit
 * settlement): a malformed request is dead-lettered at once with reason ValidationFailed and the field
 * list (retrying cannot fix it); a valid one is completed as soon as its orchestration is started or
 * found already started. Nothing waits here for a job: order within a session is kept by the
 * orchestrations themselves (src/lib/jobs/ordering-line.ts). A throw leaves the message to be redelivered.
 */
function registerQueueTrigger(definition: WorkflowDefinition<JobRequest>): void {
  app.serviceBusQueue(queueFunctionName(definition.name), {
    connection: 'ServiceBusConnection',
    queueName: definition.queue,
    isSessionsEnabled: queueDefinition(definition.queue).requiresSession,
    sdkBinding: true,
    autoCompleteMessages: false,
    cardinality: 'one',
    extraInputs: [df.input.durableClient()],
    handler: async (trigger: unknown, context: InvocationContext) => {
      const { message, actions } = singleMessage(trigger);
      const services = appServices();
      const decision = await acceptJob(
        definition,
        messageBody(message),
        message.messageId?.toString(),
        df.getClient(context),
        {
          jobStore: () => services.jobStore(),
          orderingLine: () => services.orderingLine(),
          ai: services.settings.ai,
          settings: services.settings,
        },
      );
      if (decision.kind === 'invalid') {
        context.warn(`Dead-lettering message ${String(message.messageId)}: ${decision.description}`);
        await deadLetter(actions, message, decision.reason, decision.description);
        return;
      }
      context.log(`${definition.name} job ${decision.jobId}: ${describe(decision.kind)}`);
      await actions.complete(message);
    },
  });
}

function describe(kind: 'started' | 'known' | 'finished'): string {
  if (kind === 'started') return 'started';
  if (kind === 'known') return 'already started, not started again';
  return 'already finished (cancelled while queued, or done), not started';
}

for (const definition of WORKFLOWS) registerQueueTrigger(definition);
