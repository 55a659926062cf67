import { app } from '@azure/functions';
import { resetAppServices } from '../lib/app-services';

// When the worker shuts down (scale-in, deploy, restart), close Redis, Service Bus and the other
// connections cleanly instead of leaving reconnect attempts to a server that is going away.
app.hook.appTerminate(async () => {
  await resetAppServices();
});
