/** Registers an HTTP function with a Service Bus output binding: the host must refuse to start. */
import { app, output } from '@azure/functions';

app.http('sendsThroughBinding', {
  route: 'send',
  extraOutputs: [
    output.serviceBusQueue({ queueName: 'ai-trip-generation', connection: 'ServiceBusConnection' }),
  ],
  handler: () => ({ status: 204 }),
});
