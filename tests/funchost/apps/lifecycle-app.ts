/** Records the app lifecycle hooks the host runs, and whether HTTP still answered at terminate. */
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });

export const seen: Array<{ hook: string; hookData: Record<string, unknown>; serverUp?: boolean }> = [];
let baseUrl = '';
export const setBaseUrl = (url: string) => (baseUrl = url);

app.http('ping', {
  route: 'ping',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ body: 'pong' }),
});

app.hook.appStart((context) => {
  context.hookData.startedAt = 'start';
  seen.push({ hook: 'appStart', hookData: { ...context.hookData } });
});

app.hook.appTerminate(async (context) => {
  const serverUp = await fetch(`${baseUrl}/api/ping`).then(
    () => true,
    () => false,
  );
  seen.push({ hook: 'appTerminate', hookData: { ...context.hookData }, serverUp });
});
