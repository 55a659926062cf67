/** A small app for the host's disabled-function tests: records which function ran with what. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';

app.setup({ enableHttpStream: true });

export const ran: string[] = [];

app.http('hello', { methods: ['GET'], handler: () => ({ body: 'hello' }) });
app.http('still', { methods: ['GET'], handler: () => ({ body: 'still here' }) });
app.serviceBusQueue('onRecommendation', {
  connection: 'ServiceBusConnection',
  queueName: 'ai-recommendation',
  handler: (message: unknown) => void ran.push(`onRecommendation:${JSON.stringify(message)}`),
});
app.serviceBusQueue('onBatch', {
  connection: 'ServiceBusConnection',
  queueName: 'ai-batch-processing',
  handler: (message: unknown) => void ran.push(`onBatch:${JSON.stringify(message)}`),
});
app.timer('tickOnStart', {
  schedule: '0 0 0 1 1 *',
  runOnStartup: true,
  handler: () => void ran.push('tickOnStart'),
});
app.timer('markerOnStart', {
  schedule: '0 0 0 1 1 *',
  runOnStartup: true,
  handler: () => void ran.push('markerOnStart'),
});
df.app.activity('disableActivity', { handler: () => 'done' });
df.app.orchestration('disableOrchestration', function* (context) {
  return yield context.df.callActivity('disableActivity');
});
