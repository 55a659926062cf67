import { app, type InvocationContext } from '@azure/functions';
import type { Span } from '@opentelemetry/api';
import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { deadLetter, messageBody, singleMessage } from '../lib/messaging/queue-settlement';
import { queueDefinition } from '../lib/messaging/topology';
import { jobAttributes } from '../lib/telemetry/job-attributes';
import { jobMetrics } from '../lib/telemetry/metrics';
import { contextFromCarrier, SpanKind, withSpan } from '../lib/telemetry/tracing';
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
      // The consumer span continues the trace the sender put in the message (traceparent / Diagnostic-Id).
      await withSpan(
        `process ${definition.queue}`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromCarrier(message.applicationProperties),
          attributes: {
            'messaging.system': 'servicebus',
            'messaging.destination.name': definition.queue,
            'messaging.message.id': String(message.messageId),
            'faas.invocation_id': context.invocationId,
          },
        },
        (span) => handle(definition, message, actions, context, span),
      );
    },
  });
}

async function handle(
  definition: WorkflowDefinition<JobRequest>,
  message: ReturnType<typeof singleMessage>['message'],
  actions: ReturnType<typeof singleMessage>['actions'],
  context: InvocationContext,
  span: Span,
): Promise<void> {
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
  if (decision.jobId) span.setAttributes(jobAttributes({ jobId: decision.jobId, workflow: definition.name }));
  if (decision.kind === 'started') jobMetrics.started(definition.name);
  if (decision.kind === 'invalid') {
    context.warn(`Dead-lettering message ${String(message.messageId)}: ${decision.description}`);
    await deadLetter(actions, message, decision.reason, decision.description);
    return;
  }
  // Structured: the job and workflow as fields, never the message body.
  context.log(`${definition.name} job ${decision.jobId}: ${describe(decision.kind)}`, {
    jobId: decision.jobId,
    workflow: definition.name,
    invocationId: context.invocationId,
  });
  await actions.complete(message);
}

function describe(kind: 'started' | 'known' | 'finished'): string {
  if (kind === 'started') return 'started';
  if (kind === 'known') return 'already started, not started again';
  return 'already finished (cancelled while queued, or done), not started';
}

for (const definition of WORKFLOWS) registerQueueTrigger(definition);
