import { isoDurationToMs } from '../../src/lib/util/iso-duration';
import type { Deployment, ResourceInstance } from './deployment';
import { at, type Diagnostic, type SourceLocation } from './diagnostics';
import { isObjectValue, isSymbolRef, positionsOf, type ObjectValue, type Value } from './values';

/**
 * What ARM rejects that the type definitions only state in words (a description, a documented limit):
 * lock durations, name lengths and characters, properties that only some SKUs take. Each rule looks at
 * evaluated resource bodies; values the evaluator cannot know are skipped, never guessed.
 */
interface Problem {
  /** Dotted path inside the body, to point at the offending member's line. */
  path: string;
  message: string;
}

interface RuleContext {
  /** The declared (not existing) resource of a type with a given name, e.g. a queue's namespace. */
  declared(type: string, name: Value): ObjectValue | undefined;
}

interface ArmRule {
  types: string[];
  check(body: ObjectValue, ctx: RuleContext): Problem[];
}

const text = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Value | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

function get(value: Value | undefined, dotted: string): Value | undefined {
  let cursor = value;
  for (const step of dotted.split('.')) {
    if (cursor === undefined || !isObjectValue(cursor)) return undefined;
    cursor = cursor[step];
  }
  return cursor;
}

/** The source line of a member, or of the nearest enclosing member that has one. */
function locate(body: ObjectValue, dotted: string, fallback: SourceLocation): SourceLocation {
  let found = fallback;
  let cursor: Value | undefined = body;
  for (const step of dotted.split('.')) {
    if (cursor === undefined || !isObjectValue(cursor)) break;
    found = positionsOf(cursor)?.members.get(step) ?? found;
    cursor = cursor[step];
  }
  return found;
}

// ---------- Service Bus ----------

/** Microsoft.ServiceBus/namespaces/queues: "The maximum value for LockDuration is 5 minutes". */
const MAX_LOCK_MS = 5 * 60_000;
const lockDuration: ArmRule = {
  types: ['Microsoft.ServiceBus/namespaces/queues', 'Microsoft.ServiceBus/namespaces/topics/subscriptions'],
  check(body) {
    const lock = text(get(body, 'properties.lockDuration'));
    if (lock === undefined) return [];
    let ms: number;
    try {
      ms = isoDurationToMs(lock);
    } catch {
      return [{ path: 'properties.lockDuration', message: `'${lock}' is not an ISO 8601 duration` }];
    }
    return ms > MAX_LOCK_MS
      ? [
          {
            path: 'properties.lockDuration',
            message: `${lock} is above the 5-minute maximum Service Bus accepts (PT5M)`,
          },
        ]
      : [];
  },
};

const PREMIUM_ENTITY_SIZES_MB = [1024, 2048, 3072, 4096, 5120, 10240, 20480, 40960, 81920];
const STANDARD_ENTITY_SIZES_MB = [1024, 2048, 3072, 4096, 5120];

/** Entity size and partitioning depend on the namespace's tier. */
const entityBySku: ArmRule = {
  types: ['Microsoft.ServiceBus/namespaces/queues', 'Microsoft.ServiceBus/namespaces/topics'],
  check(body, ctx) {
    const parent = body.parent;
    const namespace = isSymbolRef(parent ?? null)
      ? ctx.declared('Microsoft.ServiceBus/namespaces', (parent as { name: Value }).name)
      : undefined;
    const tier = text(get(namespace, 'sku.name'));
    if (!tier) return [];
    const problems: Problem[] = [];
    const size = num(get(body, 'properties.maxSizeInMegabytes'));
    const sizes = tier === 'Premium' ? PREMIUM_ENTITY_SIZES_MB : STANDARD_ENTITY_SIZES_MB;
    if (size !== undefined && !sizes.includes(size)) {
      problems.push({
        path: 'properties.maxSizeInMegabytes',
        message: `${size} MB is not an entity size a ${tier} namespace accepts (${sizes.join(', ')})`,
      });
    }
    if (tier === 'Premium' && get(body, 'properties.enablePartitioning') === true) {
      problems.push({
        path: 'properties.enablePartitioning',
        message:
          'a Premium namespace partitions at the namespace (premiumMessagingPartitions), not per entity',
      });
    }
    return problems;
  },
};

const premiumNamespace: ArmRule = {
  types: ['Microsoft.ServiceBus/namespaces'],
  check(body) {
    const tier = text(get(body, 'sku.name'));
    const capacity = num(get(body, 'sku.capacity'));
    const problems: Problem[] = [];
    if (tier === 'Premium' && capacity !== undefined && ![1, 2, 4, 8, 16].includes(capacity)) {
      problems.push({
        path: 'sku.capacity',
        message: `Premium takes 1, 2, 4, 8 or 16 messaging units, not ${capacity}`,
      });
    }
    if (tier && tier !== 'Premium' && get(body, 'properties.premiumMessagingPartitions') !== undefined) {
      problems.push({
        path: 'properties.premiumMessagingPartitions',
        message: `only Premium takes this, not ${tier}`,
      });
    }
    return problems;
  },
};

// ---------- Azure Cache for Redis / Azure Managed Redis ----------

const PREMIUM_ONLY_REDIS = ['shardCount', 'replicasPerPrimary', 'subnetId', 'staticIP'];
const PREMIUM_ONLY_REDIS_CONFIG = [
  'rdb-backup-enabled',
  'rdb-backup-frequency',
  'rdb-storage-connection-string',
  'aof-backup-enabled',
];

const redisBySku: ArmRule = {
  types: ['Microsoft.Cache/redis'],
  check(body) {
    const tier = text(get(body, 'properties.sku.name'));
    const family = text(get(body, 'properties.sku.family'));
    const capacity = num(get(body, 'properties.sku.capacity'));
    if (!tier) return [];
    const problems: Problem[] = [];
    const wantedFamily = tier === 'Premium' ? 'P' : 'C';
    if (family && family !== wantedFamily) {
      problems.push({
        path: 'properties.sku.family',
        message: `${tier} is family ${wantedFamily}, not ${family}`,
      });
    }
    const range = tier === 'Premium' ? [1, 5] : [0, 6];
    if (capacity !== undefined && (capacity < range[0]! || capacity > range[1]!)) {
      problems.push({
        path: 'properties.sku.capacity',
        message: `${tier} capacity is ${range[0]}-${range[1]}, not ${capacity}`,
      });
    }
    if (tier !== 'Premium') {
      for (const key of PREMIUM_ONLY_REDIS) {
        if (get(body, `properties.${key}`) !== undefined) {
          problems.push({
            path: `properties.${key}`,
            message: `only Premium caches take ${key}, not ${tier}`,
          });
        }
      }
      const config = get(body, 'properties.redisConfiguration');
      for (const key of PREMIUM_ONLY_REDIS_CONFIG) {
        if (isObjectValue(config ?? null) && (config as ObjectValue)[key] !== undefined) {
          problems.push({
            path: `properties.redisConfiguration.${key}`,
            message: `only Premium caches persist (${key}), not ${tier}`,
          });
        }
      }
      if (Array.isArray(body.zones) && body.zones.length > 0) {
        problems.push({ path: 'zones', message: `only Premium caches are placed in zones, not ${tier}` });
      }
    }
    return problems;
  },
};

/** Azure Managed Redis tiers are sized by the SKU name alone; Enterprise tiers take a capacity. */
const MANAGED_REDIS_TIERS = /^(Balanced|MemoryOptimized|ComputeOptimized|FlashOptimized)_/;
const redisEnterpriseBySku: ArmRule = {
  types: ['Microsoft.Cache/redisEnterprise'],
  check(body) {
    const sku = text(get(body, 'sku.name'));
    if (!sku) return [];
    const capacity = get(body, 'sku.capacity');
    if (MANAGED_REDIS_TIERS.test(sku) && capacity !== undefined) {
      return [
        { path: 'sku.capacity', message: `${sku} is an Azure Managed Redis size: it takes no capacity` },
      ];
    }
    if (/^Enterprise(Flash)?_/.test(sku) && capacity === undefined) {
      return [{ path: 'sku', message: `${sku} needs a capacity (2, 4, 6, ...)` }];
    }
    return [];
  },
};

// ---------- Storage ----------

const storageBySku: ArmRule = {
  types: ['Microsoft.Storage/storageAccounts'],
  check(body) {
    const sku = text(get(body, 'sku.name'));
    const kind = text(body.kind);
    if (!sku || !kind) return [];
    if (kind === 'BlockBlobStorage' && !/^Premium_(LRS|ZRS)$/.test(sku)) {
      return [
        { path: 'sku.name', message: `a BlockBlobStorage account is Premium_LRS or Premium_ZRS, not ${sku}` },
      ];
    }
    if (kind === 'StorageV2' && /^Premium_ZRS$/.test(sku)) {
      return [
        {
          path: 'sku.name',
          message: 'StorageV2 has no Premium_ZRS (premium block blobs are kind BlockBlobStorage)',
        },
      ];
    }
    return [];
  },
};

// ---------- Names (lengths and characters ARM documents per resource type) ----------

interface NameRule {
  min: number;
  max: number;
  pattern: RegExp;
  says: string;
}

const NAME_RULES: Record<string, NameRule> = {
  'Microsoft.Storage/storageAccounts': {
    min: 3,
    max: 24,
    pattern: /^[a-z0-9]+$/,
    says: 'lowercase letters and digits only',
  },
  'Microsoft.KeyVault/vaults': {
    min: 3,
    max: 24,
    pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    says: 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  },
  'Microsoft.ServiceBus/namespaces': {
    min: 6,
    max: 50,
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9](?<!-sb)(?<!-mgmt)$/,
    says: 'letters, digits and hyphens, starting with a letter, not ending with -sb or -mgmt',
  },
  'Microsoft.ServiceBus/namespaces/topics/subscriptions': {
    min: 1,
    max: 50,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/,
    says: 'letters, digits, periods, hyphens and underscores',
  },
  'Microsoft.Web/sites': {
    min: 2,
    max: 60,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    says: 'letters, digits and hyphens, not starting or ending with a hyphen',
  },
  'Microsoft.Web/serverfarms': {
    min: 1,
    max: 60,
    pattern: /^[a-zA-Z0-9-]+$/,
    says: 'letters, digits and hyphens',
  },
  'Microsoft.Cache/redis': {
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](?!.*--)[a-zA-Z0-9-]*$(?<!-)/,
    says: 'letters, digits and single hyphens, starting and ending with a letter or digit',
  },
  'Microsoft.ManagedIdentity/userAssignedIdentities': {
    min: 3,
    max: 128,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    says: 'letters, digits, hyphens and underscores, starting with a letter or digit',
  },
};

function nameProblems(type: string, body: ObjectValue): Problem[] {
  const rule = Object.entries(NAME_RULES).find(([t]) => t.toLowerCase() === type.toLowerCase())?.[1];
  const name = text(body.name);
  if (!rule || name === undefined || name.includes('/')) return [];
  if (name.length < rule.min || name.length > rule.max) {
    return [
      {
        path: 'name',
        message: `name '${name}' is ${name.length} characters; ${type} takes ${rule.min}-${rule.max}`,
      },
    ];
  }
  return rule.pattern.test(name)
    ? []
    : [{ path: 'name', message: `name '${name}': ${type} takes ${rule.says}` }];
}

export const ARM_RULES: ArmRule[] = [
  lockDuration,
  entityBySku,
  premiumNamespace,
  redisBySku,
  redisEnterpriseBySku,
  storageBySku,
];

/** Every rule against every declared resource of the deployment. */
export function checkArmRules(deployment: Deployment): Diagnostic[] {
  const declared = deployment.resources.filter((r) => !r.existing && isObjectValue(r.body));
  const ctx: RuleContext = {
    declared(type, name) {
      const found = declared.find(
        (r) => r.type.toLowerCase() === type.toLowerCase() && (r.body as ObjectValue).name === name,
      );
      return found?.body as ObjectValue | undefined;
    },
  };
  const out: Diagnostic[] = [];
  for (const resource of declared) {
    const body = resource.body as ObjectValue;
    const problems = [
      ...nameProblems(resource.type, body),
      ...ARM_RULES.filter((rule) =>
        rule.types.some((t) => t.toLowerCase() === resource.type.toLowerCase()),
      ).flatMap((rule) => rule.check(body, ctx)),
    ];
    for (const p of problems)
      out.push(at(locate(body, p.path, resource.declaration), describeEntity(resource, body, p.message)));
  }
  return out;
}

function describeEntity(resource: ResourceInstance, body: ObjectValue, message: string): string {
  const name = typeof body.name === 'string' ? ` ${body.name}` : '';
  return `${resource.type}${name}: ${message}`;
}
