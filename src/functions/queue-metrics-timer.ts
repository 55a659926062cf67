import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appServices } from '../lib/app-services';
import { readQueueCounts } from '../lib/messaging/queue-stats';
import { recordQueueCounts } from '../lib/telemetry/metrics';

/**
 * Every minute: each queue's active and dead-lettered messages through the Service Bus administration
 * client, into the tripgen.queue.* gauges the Bicep alerts watch. One structured line per run.
 */
app.timer('queueMetrics', {
  schedule: '0 */1 * * * *',
  runOnStartup: false,
  handler: async (_timer: Timer, context: InvocationContext) => {
    const counts = await readQueueCounts(appServices().serviceBusAdmin());
    for (const { queue, active, deadLetter } of counts) recordQueueCounts(queue, { active, deadLetter });
    context.log('Queue depths', { queues: counts });
  },
});
