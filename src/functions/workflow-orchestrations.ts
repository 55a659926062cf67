import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { createKitActivities, KIT_ACTIVITIES_WITH_CLIENT } from '../orchestrations/kit/kit-activities';
import { runTracedActivity } from '../orchestrations/kit/traced-activity';
import type { ActivityHandler } from '../orchestrations/kit/workflow-definition';
import { WORKFLOWS } from '../orchestrations/workflows';

/** Registers the kit's shared activities and every workflow's orchestrator and activities. */
function registerActivities(activities: Record<string, ActivityHandler>): void {
  for (const [name, handler] of Object.entries(activities)) {
    df.app.activity(name, {
      handler: (input: unknown, context) =>
        runTracedActivity(name, input, (payload) => handler(payload as never, context)),
      ...(KIT_ACTIVITIES_WITH_CLIENT.includes(name) ? { extraInputs: [df.input.durableClient()] } : {}),
    });
  }
}

registerActivities(createKitActivities(appServices));
for (const workflow of WORKFLOWS) {
  df.app.orchestration(workflow.orchestratorName, workflow.orchestrator);
  for (const [name, orchestrator] of Object.entries(workflow.subOrchestrators ?? {}))
    df.app.orchestration(name, orchestrator);
  registerActivities(workflow.activities(appServices));
}
