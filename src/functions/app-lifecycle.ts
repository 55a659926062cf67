import { app } from '@azure/functions';
import { endOpenEventStreams } from '../lib/api/event-stream';
import { resetAppServices } from '../lib/app-services';

// When the worker shuts down (scale-in, deploy, restart), close Redis, Service Bus and the other
// connections cleanly instead of leaving reconnect attempts to a server that is going away.
app.hook.appTerminate(async () => {
  endOpenEventStreams(); // their clients reconnect to an instance that stays
  await resetAppServices();
});
