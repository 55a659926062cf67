import fs from 'node:fs/promises';
import path from 'node:path';
import type { Instance } from './instance';
import type { InstanceStore } from './store';

/**
 * Instance snapshots as JSON files in a directory, one per instance, each written to a temporary
 * file and renamed over the old one so a stopped host never leaves half a snapshot behind.
 */
export class FileInstanceStore implements InstanceStore {
  constructor(private readonly directory: string) {}

  #file(instanceId: string): string {
    return path.join(this.directory, `${encodeURIComponent(instanceId)}.json`);
  }

  async loadAll(): Promise<Instance[]> {
    await fs.mkdir(this.directory, { recursive: true });
    const names = (await fs.readdir(this.directory)).filter((n) => n.endsWith('.json'));
    const instances: Instance[] = [];
    for (const name of names) {
      const text = await fs.readFile(path.join(this.directory, name), 'utf8');
      instances.push(JSON.parse(text) as Instance);
    }
    return instances;
  }

  async write({ save, remove }: { save: Instance[]; remove: string[] }): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    for (const instance of save) {
      const file = this.#file(instance.instanceId);
      await fs.writeFile(`${file}.tmp`, JSON.stringify(instance));
      await fs.rename(`${file}.tmp`, file);
    }
    for (const id of remove) await fs.rm(this.#file(id), { force: true });
  }

  async clear(): Promise<void> {
    await fs.rm(this.directory, { recursive: true, force: true });
  }

  async close(): Promise<void> {}
}
