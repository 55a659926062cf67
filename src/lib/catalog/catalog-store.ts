import { createHash } from 'node:crypto';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { CATALOG_SCHEMA_VERSION, destinationKey, type Catalog } from '../contracts/catalog';
import type { Place } from '../contracts/place-schema';

/** Where catalogs live durably: one blob per destination. */
export const CATALOG_CONTAINER = 'ai-catalog';
/**
 * How stale another process's copy may be: a catalog changes when a content team publishes, not per
 * request, so a minute of lag after a PUT on another instance is the price of not reading a
 * multi-megabyte blob on every recommendation.
 */
export const CATALOG_REFRESH_MS = 60_000;

export function catalogBlobName(destination: string): string {
  // Hashed so any destination (any script, spaces) is a safe, fixed-length blob name; the blob's
  // metadata and body keep the readable name.
  const key = createHash('sha256').update(destinationKey(destination)).digest('hex').slice(0, 32);
  return `catalogs/${key}.json`;
}

export interface CatalogStoreOptions {
  /**
   * How long a process trusts its in-memory copy before asking Blob Storage again. The ask is a
   * conditional read (If-None-Match with the copy's ETag), so an unchanged catalog costs one
   * 304 and no body. A PUT through this process refreshes its own copy at once.
   */
  refreshAfterMs: number;
  now?: () => number;
}

interface CachedCatalog {
  catalog: Catalog | undefined;
  etag: string | undefined;
  checkedAt: number;
  byId?: Map<string, Place>;
}

/**
 * The place catalog per destination: durable in Blob Storage (Redis evicts), cached in process
 * because recommendations and training read it on every request and job. Readers of one
 * destination share one in-flight load.
 */
export class CatalogStore {
  readonly #container: ContainerClient;
  readonly #cache = new Map<string, CachedCatalog>();
  readonly #loading = new Map<string, Promise<CachedCatalog>>();
  #containerReady?: Promise<unknown>;
  readonly #now: () => number;

  constructor(
    blobService: BlobServiceClient,
    private readonly options: CatalogStoreOptions,
  ) {
    this.#container = blobService.getContainerClient(CATALOG_CONTAINER);
    this.#now = options.now ?? Date.now;
  }

  async put(destination: string, places: Place[]): Promise<Catalog> {
    const catalog: Catalog = {
      schemaVersion: CATALOG_SCHEMA_VERSION,
      destination: destination.trim().normalize('NFC'),
      updatedAt: new Date(this.#now()).toISOString(),
      places,
    };
    const body = JSON.stringify(catalog);
    await this.#ensureContainer();
    const uploaded = await this.#container
      .getBlockBlobClient(catalogBlobName(destination))
      .upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        metadata: { destination: encodeURIComponent(catalog.destination) },
      });
    this.#cache.set(destinationKey(destination), {
      catalog,
      etag: uploaded.etag,
      checkedAt: this.#now(),
    });
    return catalog;
  }

  /** The destination's catalog, or undefined when none was ever stored. */
  async get(destination: string): Promise<Catalog | undefined> {
    return (await this.#entry(destination)).catalog;
  }

  /** One place by id (indexed once per loaded catalog), or undefined. */
  async place(destination: string, placeId: string): Promise<Place | undefined> {
    const entry = await this.#entry(destination);
    if (!entry.catalog) return undefined;
    entry.byId ??= new Map(entry.catalog.places.map((p) => [p.id, p]));
    return entry.byId.get(placeId);
  }

  async #entry(destination: string): Promise<CachedCatalog> {
    const key = destinationKey(destination);
    const cached = this.#cache.get(key);
    if (cached && this.#now() - cached.checkedAt < this.options.refreshAfterMs) return cached;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(destination, cached).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(destination: string, cached: CachedCatalog | undefined): Promise<CachedCatalog> {
    const key = destinationKey(destination);
    const blob = this.#container.getBlobClient(catalogBlobName(destination));
    try {
      const response = await blob.download(0, undefined, {
        conditions: cached?.etag ? { ifNoneMatch: cached.etag } : {},
      });
      const text = (await streamToBuffer(response.readableStreamBody)).toString('utf8');
      const entry: CachedCatalog = {
        catalog: asCatalog(text, destination),
        etag: response.etag,
        checkedAt: this.#now(),
      };
      this.#cache.set(key, entry);
      return entry;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 304 && cached) {
        const entry = { ...cached, checkedAt: this.#now() };
        this.#cache.set(key, entry);
        return entry;
      }
      if (status === 404) {
        const entry: CachedCatalog = { catalog: undefined, etag: undefined, checkedAt: this.#now() };
        this.#cache.set(key, entry);
        return entry;
      }
      throw error;
    }
  }

  #ensureContainer(): Promise<unknown> {
    this.#containerReady ??= this.#container.createIfNotExists().catch((error: unknown) => {
      this.#containerReady = undefined;
      throw error;
    });
    return this.#containerReady;
  }
}

function asCatalog(text: string, destination: string): Catalog {
  const value = JSON.parse(text) as Partial<Catalog>;
  if (value?.schemaVersion !== CATALOG_SCHEMA_VERSION || !Array.isArray(value.places))
    throw new Error(
      `the stored catalog of ${destination} is not a version ${CATALOG_SCHEMA_VERSION} catalog`,
    );
  return value as Catalog;
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
