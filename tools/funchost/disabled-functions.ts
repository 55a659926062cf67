import type { RegisteredFunction } from './core-api';
import { triggerBinding } from './invoker';

/**
 * Functions switched off by the app setting `AzureWebJobs.<name>.Disabled` = `true` (or `1`), as Azure
 * documents (learn.microsoft.com/azure/azure-functions/disable-function): the runtime starts no
 * listener for them, so no message, schedule or HTTP request triggers them, while a caller with the
 * master key can still run them (here: the admin route and `host.invoke`/`fireTimer`). Read once at
 * start, as in Azure, where changing an app setting restarts the app. Linux App Service passes the
 * setting as `AzureWebJobs_<name>_Disabled`; both spellings count.
 */
export function disabledFunctions(
  functions: Iterable<RegisteredFunction>,
  env: NodeJS.ProcessEnv = process.env,
): Set<string> {
  const disabled = new Set<string>();
  for (const fn of functions) {
    const name = fn.metadata.name;
    const value = env[`AzureWebJobs.${name}.Disabled`] ?? env[`AzureWebJobs_${name}_Disabled`];
    if (value !== undefined && /^(true|1)$/i.test(value.trim())) disabled.add(name);
  }
  return disabled;
}

const DURABLE_TRIGGERS = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'];

/** Durable triggers cannot be switched off here (their work would wait forever); refused at start. */
export function unsupportedDisabled(
  functions: Iterable<RegisteredFunction>,
  disabled: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const fn of functions) {
    const { name } = fn.metadata;
    const type = triggerBinding(fn).type;
    if (!disabled.has(name) || !DURABLE_TRIGGERS.includes(type)) continue;
    problems.push(
      `${name}: AzureWebJobs.${name}.Disabled is set, but the local host cannot disable ${type} functions ` +
        '(the orchestrations waiting on them would wait forever); disable the trigger that starts them',
    );
  }
  return problems;
}
