/** A small app for the host's timer tests: records what each timer invocation received. */
import { app, type Timer } from '@azure/functions';

export const received: Timer[] = [];
app.timer('everyFiveMinutes', {
  schedule: '0 */5 * * * *',
  handler: (timer: Timer) => void received.push(timer),
});
