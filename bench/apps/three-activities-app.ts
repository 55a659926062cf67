/** The bench app: one orchestration of three activities in sequence. */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

df.app.activity('double', { handler: (n: unknown) => Number(n) * 2 });
df.app.orchestration('threeSteps', function* (context: OrchestrationContext) {
  let value = context.df.getInput<number>();
  for (let i = 0; i < 3; i++) value = (yield context.df.callActivity('double', value)) as number;
  return value;
});
