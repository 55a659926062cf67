import { loadSettings } from '../../../src/lib/config/settings';
import { BASE_ENV, problemsOf } from './settings-fixture';

const base = BASE_ENV;

describe('loadSettings', () => {
  it('applies the guide TTLs and the Service Bus plan AI settings by default', () => {
    const settings = loadSettings(base);
    expect(settings.ttlSeconds).toEqual({
      jobStatus: 3600,
      jobProgress: 3600,
      schedule: 28800,
      recommendation: 7200,
      temporary: 1800,
      profile: 86400,
    });
    expect(settings.ai).toEqual({ maxProcessingTimeMs: 30 * 60_000, modelParallelism: 4, batchSize: 100 });
    expect(settings.redis).toEqual({
      endpoint: { host: '127.0.0.1', port: 6379, tls: false, entra: false },
      cluster: false,
    });
  });

  it('accepts TTL overrides', () => {
    expect(loadSettings({ ...base, TTL_SCHEDULE_SECONDS: '60' }).ttlSeconds.schedule).toBe(60);
    expect(loadSettings({ ...base, TTL_PROFILE_SECONDS: '600' }).ttlSeconds.profile).toBe(600);
  });

  it('reads the Azure Cache for Redis connection string form with cluster mode', () => {
    const settings = loadSettings({
      ...base,
      REDIS_URL: '',
      REDIS_CONNECTION_STRING:
        'redis-tripgen-ai-prod.redis.cache.windows.net:6380,password=s3cr=t,ssl=True,abortConnect=False',
      REDIS_CLUSTER: 'true',
    });
    expect(settings.redis).toEqual({
      endpoint: {
        host: 'redis-tripgen-ai-prod.redis.cache.windows.net',
        port: 6380,
        tls: true,
        password: 's3cr=t',
        entra: false,
      },
      cluster: true,
    });
  });

  it('reads rediss:// URLs with credentials', () => {
    const settings = loadSettings({ ...base, REDIS_URL: 'rediss://app:p%40ss@cache.example:6390' });
    expect(settings.redis.endpoint).toEqual({
      host: 'cache.example',
      port: 6390,
      tls: true,
      username: 'app',
      password: 'p@ss',
      entra: false,
    });
  });

  it('supports keyless Entra ID auth', () => {
    const settings = loadSettings({
      ...base,
      REDIS_URL: '',
      REDIS_ENTRA_HOST: 'redis-tripgen-ai-prod.redis.cache.windows.net',
      REDIS_ENTRA_USERNAME: '00000000-0000-0000-0000-000000000001',
    });
    expect(settings.redis.endpoint).toMatchObject({ port: 6380, tls: true, entra: true });
    expect(settings.redis.endpoint.password).toBeUndefined();
  });

  it('names every missing or malformed setting in one error', () => {
    const problems = problemsOf({
      REDIS_URL: 'http://x',
      TTL_JOB_STATUS_SECONDS: 'soon',
      REDIS_CLUSTER: 'yes',
      AI_MAX_PROCESSING_TIME: '30 minutes',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^REDIS_CLUSTER: must be true or false/),
        expect.stringMatching(/^TTL_JOB_STATUS_SECONDS: must be a whole number/),
        expect.stringMatching(/^DURABLE_TASK_HUB_NAME: is required/),
        expect.stringMatching(/^AI_MAX_PROCESSING_TIME: must be an ISO 8601 duration/),
      ]),
    );
    expect(problemsOf({ ...base, REDIS_URL: 'http://x' })).toEqual([
      'REDIS_URL: has protocol "http:" (expected redis: or rediss:)',
    ]);
  });

  it('requires exactly one Redis setting and a Service Bus connection', () => {
    expect(problemsOf({ DURABLE_TASK_HUB_NAME: 'TripGenAI' })).toEqual([
      'REDIS_URL: set exactly one of REDIS_URL, REDIS_CONNECTION_STRING or REDIS_ENTRA_HOST',
      'ServiceBusConnection: set ServiceBusConnection (a connection string) or ServiceBusConnection__fullyQualifiedNamespace (managed identity)',
      'AzureWebJobsStorage: set AzureWebJobsStorage (a connection string; UseDevelopmentStorage=true for Azurite) or AzureWebJobsStorage__accountName (managed identity)',
    ]);
    expect(problemsOf({ ...base, REDIS_CONNECTION_STRING: 'h:6380,ssl=True' })).toEqual([
      'REDIS_URL, REDIS_CONNECTION_STRING: set only one of these, not 2',
    ]);
    expect(problemsOf({ ...base, REDIS_URL: '', REDIS_ENTRA_HOST: 'h:6380' })).toEqual([
      'REDIS_ENTRA_USERNAME: is required with REDIS_ENTRA_HOST (the object id of the identity)',
    ]);
  });

  it('never repeats a password in an error', () => {
    const problems = problemsOf({
      ...base,
      REDIS_URL: '',
      REDIS_CONNECTION_STRING: 'h:notaport,password=hunter2,ssl=True',
    });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems).toEqual(['REDIS_CONNECTION_STRING: has an invalid port "notaport"']);
  });
});

describe('loadSettings: authentication', () => {
  it('is off by default outside Azure, and AUTH_ENABLED turns it on', () => {
    expect(loadSettings(base).auth).toEqual({ enabled: false, adminRole: 'TripGen.Admin' });
    expect(loadSettings({ ...base, AUTH_ENABLED: 'true', AUTH_ADMIN_ROLE: 'Ops.Admin' }).auth).toEqual({
      enabled: true,
      adminRole: 'Ops.Admin',
    });
  });

  it('is always on in Azure (WEBSITE_SITE_NAME set) and refuses AUTH_ENABLED=false there', () => {
    expect(loadSettings({ ...base, WEBSITE_SITE_NAME: 'func-tripgen-ai' }).auth.enabled).toBe(true);
    expect(problemsOf({ ...base, WEBSITE_SITE_NAME: 'func-tripgen-ai', AUTH_ENABLED: 'false' })).toEqual([
      'AUTH_ENABLED: cannot be false in Azure (App Service authentication is always on there)',
    ]);
  });

  it('names a malformed AUTH_ENABLED or AUTH_ADMIN_ROLE', () => {
    expect(problemsOf({ ...base, AUTH_ENABLED: 'yes', AUTH_ADMIN_ROLE: 'has space' })).toEqual([
      'AUTH_ENABLED: must be true or false',
      'AUTH_ADMIN_ROLE: must be an app role value such as TripGen.Admin',
    ]);
  });
});
