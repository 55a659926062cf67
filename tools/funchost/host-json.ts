import fs from 'node:fs';
import os from 'node:os';
import type { ServiceBusHostSettings } from './servicebus/emulator-api';

interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: { hubName?: string; maxConcurrentActivityFunctions?: number };
    serviceBus?: {
      maxConcurrentCalls?: number;
      maxConcurrentSessions?: number;
      maxMessageBatchSize?: number;
      autoCompleteMessages?: boolean;
      maxAutoLockRenewalDuration?: string;
    };
  };
}

/** The parts of host.json the local host honours, with the Functions host's defaults. */
export function readHostJson(file: string | undefined) {
  const json: HostJson =
    file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as HostJson) : {};
  const sb = json.extensions?.serviceBus ?? {};
  const serviceBus: ServiceBusHostSettings = {
    maxConcurrentCalls: sb.maxConcurrentCalls ?? 16 * os.cpus().length,
    maxConcurrentSessions: sb.maxConcurrentSessions ?? 8,
    maxMessageBatchSize: sb.maxMessageBatchSize ?? 1000,
    autoCompleteMessages: sb.autoCompleteMessages ?? true,
    maxAutoLockRenewalDurationMs: timeSpanMs(sb.maxAutoLockRenewalDuration ?? '00:05:00'),
  };
  return {
    routePrefix: json.extensions?.http?.routePrefix ?? 'api',
    maxConcurrentActivities:
      json.extensions?.durableTask?.maxConcurrentActivityFunctions ?? 10 * os.cpus().length,
    // "%SETTING%" names an app setting, as everywhere in host.json.
    taskHubName: resolveSetting(json.extensions?.durableTask?.hubName) || 'TestHubName',
    serviceBus,
  };
}

/** "hh:mm:ss" or "d.hh:mm:ss" as host.json writes TimeSpans. */
export function timeSpanMs(text: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`host.json: "${text}" is not a TimeSpan (hh:mm:ss)`);
  const [, days, h, m, s] = match;
  return (((Number(days ?? 0) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

function resolveSetting(value: string | undefined): string | undefined {
  const setting = value && /^%(.+)%$/.exec(value);
  return setting ? process.env[setting[1]!] : value;
}
