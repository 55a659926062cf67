import { ConfigError, loadSettings } from '../../../src/lib/config/settings';

/** The least environment the app starts with locally (every settings test starts from it). */
export const BASE_ENV = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  ServiceBusConnection:
    'Endpoint=sb://127.0.0.1:5673;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true',
  DURABLE_TASK_HUB_NAME: 'TripGenAI',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

/** The problems a start-up with `env` reports; fails the test if it starts. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
