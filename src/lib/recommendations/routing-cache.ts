import type { ModelRegistry, RoutingRecord } from '../models/model-registry';

/** How long a process serves from a routing record it read (another instance's change shows within this). */
export const ROUTING_CACHE_MS = 5_000;

/**
 * The routing records serving reads on every request, kept a few seconds in process so a request
 * does not wait for Blob. Changes made in this process (model API, canary guard) drop the entry at
 * once; other instances see them within ROUTING_CACHE_MS.
 */
export class RoutingCache {
  readonly #entries = new Map<string, { at: number; routing: Promise<RoutingRecord> }>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  get(modelName: string): Promise<RoutingRecord> {
    const entry = this.#entries.get(modelName);
    if (entry && this.now() - entry.at < ROUTING_CACHE_MS) return entry.routing;
    const routing = this.registry.getRouting(modelName);
    routing.catch(() => this.#entries.delete(modelName));
    this.#entries.set(modelName, { at: this.now(), routing });
    return routing;
  }

  invalidate(modelName: string): void {
    this.#entries.delete(modelName);
  }
}
