import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import { BlobServiceClient } from '@azure/storage-blob';
import { CacheAside } from './cache/cache-aside';
import { azureCredential } from './config/azure-credential';
import { blobAccess, blobServiceFor } from './config/blob-access';
import { loadSettings, type Settings } from './config/settings';
import { hostname } from 'node:os';
import { ProfileStore } from './analysis/profile-store';
import { CATALOG_REFRESH_MS, CatalogStore } from './catalog/catalog-store';
import { InteractionLogWriter } from './interactions/interaction-log';
import { JobStateStore } from './jobs/job-state-store';
import { OrderingLine } from './jobs/ordering-line';
import { TripOwners } from './trips/trip-owners';
import { createServiceBusClient } from './messaging/service-bus-client';
import { EventPublisher } from './messaging/event-publisher';
import { ModelWorkerPool } from './models/worker-pool';
import { ChannelHub } from './redis/channel-hub';
import { sharedRedis, sharedSubscriber, closeSharedRedis } from './redis/shared-clients';
import { ModelServing } from './recommendations/model-serving';

/**
 * The process-wide adapters every function uses, created on first use from the validated settings.
 * Settings are read once, when the app loads (src/index.ts), so a bad setting stops the start with a
 * clear message; connections open lazily, so a function that needs no Redis never waits for it.
 */
export class AppServices {
  #store?: Promise<JobStateStore>;
  #line?: Promise<OrderingLine>;
  #profiles?: Promise<ProfileStore>;
  #blobService?: BlobServiceClient;
  #interactionLog?: InteractionLogWriter;
  #catalog?: CatalogStore;
  #hub?: Promise<ChannelHub>;
  #scheduleCache?: Promise<CacheAside<unknown>>;
  #serviceBus?: ServiceBusClient;
  #publisher?: EventPublisher;
  #modelPool?: ModelWorkerPool;
  #modelServing?: Promise<ModelServing>;
  readonly #senders = new Map<string, ServiceBusSender>();

  constructor(readonly settings: Settings) {}

  jobStore(): Promise<JobStateStore> {
    this.#store ??= sharedRedis(this.settings).then(
      ({ client }) => new JobStateStore(client, this.settings.ttlSeconds),
    );
    return this.#store;
  }

  orderingLine(): Promise<OrderingLine> {
    this.#line ??= sharedRedis(this.settings).then(({ client }) => new OrderingLine(client));
    return this.#line;
  }

  profileStore(): Promise<ProfileStore> {
    this.#profiles ??= sharedRedis(this.settings).then(
      ({ client }) => new ProfileStore(client, this.blobService(), this.settings.ttlSeconds.profile),
    );
    return this.#profiles;
  }

  /** This process's writer of the interaction log (one append blob per day and writer). */
  interactionLog(): InteractionLogWriter {
    this.#interactionLog ??= new InteractionLogWriter(this.blobService(), { writerId: writerId() });
    return this.#interactionLog;
  }

  /** Places per destination (Blob Storage, cached in this process). */
  catalogStore(): CatalogStore {
    this.#catalog ??= new CatalogStore(this.blobService(), { refreshAfterMs: CATALOG_REFRESH_MS });
    return this.#catalog;
  }

  /** Registry, loaded models, routing, feedback counters and the recommendation cache (one per process). */
  modelServing(): Promise<ModelServing> {
    this.#modelServing ??= sharedRedis(this.settings).then(
      ({ client }) =>
        new ModelServing({
          redis: client,
          blobService: this.blobService(),
          catalog: this.catalogStore(),
          profile: async (userId) => (await this.profileStore()).get(userId),
          recommendationTtlSeconds: this.settings.ttlSeconds.recommendation,
        }),
    );
    return this.#modelServing;
  }

  channelHub(): Promise<ChannelHub> {
    this.#hub ??= sharedSubscriber(this.settings).then(({ client }) => new ChannelHub(client));
    return this.#hub;
  }

  scheduleCache(): Promise<CacheAside<unknown>> {
    this.#scheduleCache ??= sharedRedis(this.settings).then(
      ({ client }) =>
        new CacheAside<unknown>(client, { name: 'schedule', ttlSeconds: this.settings.ttlSeconds.schedule }),
    );
    return this.#scheduleCache;
  }

  /** Who each trip belongs to; a claim lives as long as the schedule plus the longest job. */
  tripOwners(): Promise<TripOwners> {
    const { ttlSeconds, ai } = this.settings;
    return sharedRedis(this.settings).then(
      ({ client }) => new TripOwners(client, ttlSeconds.schedule + Math.ceil(ai.maxProcessingTimeMs / 1000)),
    );
  }

  serviceBus(): ServiceBusClient {
    this.#serviceBus ??= createServiceBusClient(
      this.settings.serviceBus,
      azureCredential(this.settings.identity),
    );
    return this.#serviceBus;
  }

  /**
   * One sender per queue for the process: a sender is safe for concurrent sends, and opening one per
   * message costs an AMQP link attach and detach on every submit.
   */
  queueSender(queue: string): ServiceBusSender {
    let sender = this.#senders.get(queue);
    if (!sender) {
      sender = this.serviceBus().createSender(queue);
      this.#senders.set(queue, sender);
    }
    return sender;
  }

  blobService(): BlobServiceClient {
    this.#blobService ??= this.#newBlobService();
    return this.#blobService;
  }

  #newBlobService(): BlobServiceClient {
    return blobServiceFor(blobAccess(this.settings));
  }

  /**
   * Blob storage for backups: the dedicated backup account (BACKUP_STORAGE_ACCOUNT_NAME, keyless, with
   * the app's identity) in Azure, so backups never share the Durable task hub's account; the Functions
   * storage when the setting is absent (local development, Azurite).
   */
  backupBlobService(): BlobServiceClient {
    const { accountName } = this.settings.backupStorage;
    if (!accountName) return this.blobService();
    return new BlobServiceClient(
      `https://${accountName}.blob.core.windows.net`,
      azureCredential(this.settings.identity),
    );
  }

  eventPublisher(): EventPublisher {
    this.#publisher ??= new EventPublisher(this.serviceBus());
    return this.#publisher;
  }

  /** Worker threads for model training and batch scoring (started on first use, closed with the app). */
  modelWorkerPool(): ModelWorkerPool {
    this.#modelPool ??= new ModelWorkerPool();
    return this.#modelPool;
  }

  async close(): Promise<void> {
    await this.#modelPool?.close();
    (await this.#hub?.catch(() => undefined))?.detach();
    await Promise.all([...this.#senders.values()].map((s) => s.close().catch(() => undefined)));
    this.#senders.clear();
    await this.#publisher?.close();
    await this.#serviceBus?.close();
    await closeSharedRedis();
  }
}

/** A name no other live process has: the App Service instance (or host name) and the process id. */
function writerId(): string {
  const instance = process.env.WEBSITE_INSTANCE_ID?.slice(0, 16) ?? hostname();
  return `${instance}-${process.pid}`.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128);
}

let current: AppServices | undefined;

/** The services of this process; the first call validates the settings (and throws ConfigError). */
export function appServices(): AppServices {
  current ??= new AppServices(loadSettings());
  return current;
}

/** For hosts that load the app more than once in one process (the local host's tests). */
export async function resetAppServices(): Promise<void> {
  const previous = current;
  current = undefined;
  await previous?.close();
}
