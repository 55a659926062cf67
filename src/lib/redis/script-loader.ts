import fs from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';

/**
 * Registers a Lua file as a named command on a client. ioredis runs it with EVALSHA and falls back to
 * EVAL after a script cache flush or failover, on standalone and cluster clients alike.
 * The file name carries its key count, as in BullMQ: `extend-2.lua` takes 2 KEYS; `checkpoint-var.lua`
 * takes a number that each call passes first.
 */
export function defineScript(client: Redis | Cluster, file: string): string {
  const match = /^([a-zA-Z]+)-(\d+|var)\.lua$/.exec(path.basename(file));
  if (!match) throw new Error(`Lua file ${file} must be named <command>-<numberOfKeys|var>.lua`);
  const [, name, keys] = match;
  const commandName = name!;
  if (!(commandName in client)) {
    const lua = fs.readFileSync(file, 'utf8');
    client.defineCommand(commandName, keys === 'var' ? { lua } : { numberOfKeys: Number(keys), lua });
  }
  return commandName;
}
