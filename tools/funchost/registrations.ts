import type { RegisteredFunction } from './core-api';
import { triggerBinding } from './invoker';
import { parseSchedule } from './timers';

/** Trigger types this host can run. Anything else is refused when the app loads, never ignored. */
export const SUPPORTED_TRIGGERS = [
  'httpTrigger',
  'orchestrationTrigger',
  'activityTrigger',
  'timerTrigger',
] as const;
const SUPPORTED_INPUTS = ['durableClient', 'orchestrationClient'];
/** The HTTP response is the only output binding this host delivers; any other would be dropped silently. */
const SUPPORTED_OUTPUTS = ['http'];

export function checkRegistrations(
  functions: Iterable<RegisteredFunction>,
  options: { serviceBus: boolean },
): string[] {
  const problems: string[] = [];
  for (const fn of functions) {
    const trigger = triggerBinding(fn);
    if (trigger.type === 'serviceBusTrigger' && !options.serviceBus) {
      problems.push(
        `${fn.metadata.name}: serviceBusTrigger needs the Service Bus emulation (startLocalHost({ serviceBus: { topology } }))`,
      );
    } else if (trigger.type !== 'serviceBusTrigger' && !SUPPORTED_TRIGGERS.includes(trigger.type as never)) {
      problems.push(`${fn.metadata.name}: trigger type "${trigger.type}" is not supported by the local host`);
    } else if (trigger.type === 'timerTrigger') {
      try {
        parseSchedule(fn.metadata.name, String(fn.metadata.bindings[trigger.name]!.schedule ?? ''));
      } catch (error) {
        problems.push(`${fn.metadata.name}: ${(error as Error).message}`);
      }
    }
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction === 'out' && !SUPPORTED_OUTPUTS.includes(binding.type)) {
        problems.push(
          `${fn.metadata.name}: output binding "${name}" of type "${binding.type}" is not supported by the local host ` +
            '(its values would be dropped); send with the service client instead',
        );
        continue;
      }
      if (name === trigger.name || binding.direction !== 'in') continue;
      if (!SUPPORTED_INPUTS.includes(binding.type)) {
        problems.push(
          `${fn.metadata.name}: input binding "${name}" of type "${binding.type}" is not supported by the local host`,
        );
      }
    }
  }
  return problems;
}

/** The function list `func start` prints. */
export function describeFunctions(
  functions: Iterable<RegisteredFunction>,
  baseUrl: string,
  routePrefix: string,
  disabled: ReadonlySet<string> = new Set(),
): string {
  const lines = ['Functions:', ''];
  for (const fn of functions) {
    const trigger = triggerBinding(fn);
    if (disabled.has(fn.metadata.name)) {
      lines.push(`        ${fn.metadata.name}: disabled (AzureWebJobs.${fn.metadata.name}.Disabled)`);
      continue;
    }
    const binding = fn.metadata.bindings[trigger.name]!;
    if (trigger.type === 'httpTrigger') {
      const methods = ((binding.methods as string[] | undefined) ?? ['GET', 'POST']).join(',');
      const route = (binding.route as string | undefined) ?? fn.metadata.name;
      lines.push(
        `        ${fn.metadata.name}: [${methods}] ${baseUrl}/${routePrefix ? `${routePrefix}/` : ''}${route}`,
      );
    } else {
      const detail = binding.queueName ?? binding.topicName ?? binding.schedule ?? '';
      lines.push(`        ${fn.metadata.name}: ${trigger.type}${detail ? ` (${String(detail)})` : ''}`);
    }
  }
  return lines.join('\n');
}
