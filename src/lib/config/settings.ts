import { z } from 'zod';
import { isoDurationToMs } from '../util/iso-duration';
import { DEFAULT_CANARY_SETTINGS, type CanaryDecisionSettings } from '../models/canary';
import { identitySetting, type IdentitySetting } from './azure-credential';
import { TTL_DEFAULT_SECONDS, type TtlSettings } from './ttl-defaults';
import { MODEL_SETTINGS_ENV, modelTrainingSettings, type ModelTrainingSettings } from './model-settings';
import {
  parseAzureConnectionString,
  parseEntraHost,
  parseRedisUrl,
  type RedisEndpoint,
} from './redis-connection';

/**
 * Every environment setting the app reads, validated once at start-up. A bad or missing setting fails
 * the start with one message that names each offending setting and why (local.settings.json.example
 * documents them all).
 */
export interface Settings {
  /** The identity keyless clients sign in with (azure-credential.ts). */
  identity: IdentitySetting;
  redis: { endpoint: RedisEndpoint; cluster: boolean };
  ttlSeconds: TtlSettings;
  serviceBus: { connectionString?: string; fullyQualifiedNamespace?: string };
  /** The Functions storage account (AzureWebJobsStorage), also home of the schedule backups. */
  storage: { connectionString?: string; accountName?: string };
  /** The storage account dedicated to backups; unset (local): backups go to the Functions storage. */
  backupStorage: { accountName?: string };
  durableTaskHubName: string;
  ai: { maxProcessingTimeMs: number; modelParallelism: number; batchSize: number };
  /** Data-quality thresholds, action weights and the deploy gate of model training (model-settings.ts). */
  modelTraining: ModelTrainingSettings;
  applicationInsightsConnectionString?: string;
  /** Who is calling: App Service authentication's principal header (src/lib/api/caller.ts). */
  auth: AuthSettings;
  /** The canary guard's thresholds (src/lib/models/canary.ts, modelCanaryGuard). */
  canary: CanaryDecisionSettings;
}

export interface AuthSettings {
  /** Off: every request acts as an admin (local development only; always on in Azure). */
  enabled: boolean;
  /** The Entra ID app role that sees and cancels every user's jobs. */
  adminRole: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const booleanText = z
  .enum(['true', 'false', 'True', 'False', '1', '0'], { message: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === 'True' || v === '1');

const positiveIntText = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .optional()
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((v) => v > 0, 'must be greater than 0');

const fractionText = (fallback: number) =>
  z
    .string()
    .regex(/^(0|0?\.\d+)$/, 'must be a decimal number between 0 and 1 (such as 0.05)')
    .optional()
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((v) => v > 0 && v < 1, 'must be above 0 and below 1');

const isoDurationText = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return isoDurationToMs(v ?? fallback);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 duration such as PT30M' });
        return z.NEVER;
      }
    });

const envSchema = z.object({
  AZURE_MANAGED_IDENTITY_CLIENT_ID: optionalText.refine(
    (v) => v === undefined || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
    "must be the client id (a GUID) of the app's user-assigned managed identity",
  ),
  REDIS_URL: optionalText,
  REDIS_CONNECTION_STRING: optionalText,
  REDIS_ENTRA_HOST: optionalText,
  REDIS_ENTRA_USERNAME: optionalText,
  REDIS_CLUSTER: booleanText,
  TTL_JOB_STATUS_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.jobStatus),
  TTL_JOB_PROGRESS_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.jobProgress),
  TTL_SCHEDULE_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.schedule),
  TTL_RECOMMENDATION_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.recommendation),
  TTL_TEMPORARY_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.temporary),
  TTL_PROFILE_SECONDS: positiveIntText(TTL_DEFAULT_SECONDS.profile),
  AzureWebJobsStorage: optionalText,
  AzureWebJobsStorage__accountName: optionalText,
  BACKUP_STORAGE_ACCOUNT_NAME: optionalText.refine(
    (v) => v === undefined || /^[a-z0-9]{3,24}$/.test(v),
    'must be a storage account name: 3-24 lowercase letters and digits',
  ),
  ServiceBusConnection: optionalText,
  ServiceBusConnection__fullyQualifiedNamespace: optionalText,
  DURABLE_TASK_HUB_NAME: z
    .string({ message: 'is required (the Durable Task hub name host.json refers to)' })
    .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'must be 3-45 letters and digits, starting with a letter'),
  AI_MAX_PROCESSING_TIME: isoDurationText('PT30M'),
  AI_MODEL_PARALLELISM: positiveIntText(4),
  AI_BATCH_SIZE: positiveIntText(100),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  CANARY_MIN_IMPRESSIONS: positiveIntText(DEFAULT_CANARY_SETTINGS.minImpressionsPerVariant),
  CANARY_PROMOTE_AFTER_IMPRESSIONS: positiveIntText(DEFAULT_CANARY_SETTINGS.promoteAfterImpressions),
  CANARY_ALPHA: fractionText(DEFAULT_CANARY_SETTINGS.alpha),
  CANARY_TOLERANCE: fractionText(DEFAULT_CANARY_SETTINGS.tolerance),
  AUTH_ENABLED: z
    .enum(['true', 'false', 'True', 'False', '1', '0'], { message: 'must be true or false' })
    .optional(),
  AUTH_ADMIN_ROLE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,120}$/, 'must be an app role value such as TripGen.Admin')
    .optional(),
  /** Set by App Service on every site: its presence means "running in Azure". */
  WEBSITE_SITE_NAME: optionalText,
  ...MODEL_SETTINGS_ENV,
});

type Env = z.infer<typeof envSchema>;

/** Every environment setting this module reads (local.settings.json.example must document each). */
export const SETTING_NAMES = Object.keys(envSchema.shape);

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const problems: string[] = [];
  const endpoint = redisEndpoint(values, problems);
  const serviceBus = {
    connectionString: values.ServiceBusConnection,
    fullyQualifiedNamespace: values.ServiceBusConnection__fullyQualifiedNamespace,
  };
  if (!serviceBus.connectionString && !serviceBus.fullyQualifiedNamespace) {
    problems.push(
      'ServiceBusConnection: set ServiceBusConnection (a connection string) or ' +
        'ServiceBusConnection__fullyQualifiedNamespace (managed identity)',
    );
  }
  const storage = {
    connectionString: values.AzureWebJobsStorage,
    accountName: values.AzureWebJobsStorage__accountName,
  };
  if (!storage.connectionString && !storage.accountName) {
    problems.push(
      'AzureWebJobsStorage: set AzureWebJobsStorage (a connection string; UseDevelopmentStorage=true for Azurite) ' +
        'or AzureWebJobsStorage__accountName (managed identity)',
    );
  }
  const auth = authSettings(values, problems);
  if (problems.length > 0 || !endpoint) throw new ConfigError(problems);
  return {
    identity: identitySetting(values.AZURE_MANAGED_IDENTITY_CLIENT_ID),
    redis: { endpoint, cluster: values.REDIS_CLUSTER },
    ttlSeconds: {
      jobStatus: values.TTL_JOB_STATUS_SECONDS,
      jobProgress: values.TTL_JOB_PROGRESS_SECONDS,
      schedule: values.TTL_SCHEDULE_SECONDS,
      recommendation: values.TTL_RECOMMENDATION_SECONDS,
      temporary: values.TTL_TEMPORARY_SECONDS,
      profile: values.TTL_PROFILE_SECONDS,
    },
    serviceBus,
    storage,
    backupStorage: { accountName: values.BACKUP_STORAGE_ACCOUNT_NAME },
    durableTaskHubName: values.DURABLE_TASK_HUB_NAME,
    ai: {
      maxProcessingTimeMs: values.AI_MAX_PROCESSING_TIME,
      modelParallelism: values.AI_MODEL_PARALLELISM,
      batchSize: values.AI_BATCH_SIZE,
    },
    modelTraining: modelTrainingSettings(values),
    applicationInsightsConnectionString: values.APPLICATIONINSIGHTS_CONNECTION_STRING,
    auth,
    canary: {
      minImpressionsPerVariant: values.CANARY_MIN_IMPRESSIONS,
      promoteAfterImpressions: values.CANARY_PROMOTE_AFTER_IMPRESSIONS,
      alpha: values.CANARY_ALPHA,
      tolerance: values.CANARY_TOLERANCE,
    },
  };
}

/** Authentication is on in Azure whatever the setting says; elsewhere AUTH_ENABLED turns it on. */
function authSettings(values: Env, problems: string[]): AuthSettings {
  const adminRole = values.AUTH_ADMIN_ROLE ?? 'TripGen.Admin';
  const setting = values.AUTH_ENABLED?.toLowerCase();
  const requested = setting === 'true' || setting === '1';
  if (values.WEBSITE_SITE_NAME) {
    if (setting !== undefined && !requested) {
      problems.push('AUTH_ENABLED: cannot be false in Azure (App Service authentication is always on there)');
    }
    return { enabled: true, adminRole };
  }
  return { enabled: requested, adminRole };
}

function redisEndpoint(values: Env, problems: string[]): RedisEndpoint | undefined {
  const given = (['REDIS_URL', 'REDIS_CONNECTION_STRING', 'REDIS_ENTRA_HOST'] as const).filter(
    (k) => values[k],
  );
  if (given.length !== 1) {
    problems.push(
      given.length === 0
        ? 'REDIS_URL: set exactly one of REDIS_URL, REDIS_CONNECTION_STRING or REDIS_ENTRA_HOST'
        : `${given.join(', ')}: set only one of these, not ${given.length}`,
    );
    return undefined;
  }
  const name = given[0]!;
  try {
    if (name === 'REDIS_URL') return parseRedisUrl(values.REDIS_URL!);
    if (name === 'REDIS_CONNECTION_STRING')
      return parseAzureConnectionString(values.REDIS_CONNECTION_STRING!);
    if (!values.REDIS_ENTRA_USERNAME) {
      problems.push(
        'REDIS_ENTRA_USERNAME: is required with REDIS_ENTRA_HOST (the object id of the identity)',
      );
      return undefined;
    }
    return parseEntraHost(values.REDIS_ENTRA_HOST!, values.REDIS_ENTRA_USERNAME);
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
    return undefined;
  }
}
