import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { DataQualityReport } from './data-quality';
import type { Hyperparameters } from './hyperparameters';

/**
 * The model registry in Blob Storage (never only in Redis, which evicts). Per model:
 *   models/<name>/routing.json            which version serves (production, canary + percent),
 *                                         the next version number, and every decision with figures
 *   models/<name>/versions/<000042>.json  one record per version
 *   models/<name>/artifacts/<000042>.bin  the model file (model-artifact.ts)
 *   models/<name>/data-quality/<jobId>.json  the data-quality report of every training job, passed
 *                                         or failed (a passed one is also in its version record)
 * Every change is read-modify-write under the blob's ETag (If-Match; If-None-Match: * to create),
 * retried on a conflict, so concurrent writers never lose each other's changes and two versions
 * never get the same number.
 */
export type VersionStatus = 'candidate' | 'canary' | 'production' | 'retired' | 'rolled_back';

export interface ModelVersionRecord {
  modelName: string;
  version: number;
  status: VersionStatus;
  algorithm: Hyperparameters['algorithm'];
  hyperparameters: Hyperparameters;
  metrics: Record<string, unknown>;
  dataQuality: DataQualityReport | null;
  datasetFingerprint: string;
  artifactSha256: string;
  epochs: Array<{ epoch: number; loss: number; seconds: number }>;
  trainedAt: string;
  trainingSeconds: number;
  /** The training job that produced it (registration is idempotent by job). */
  jobId?: string;
}

export interface RoutingDecision {
  at: string;
  action: 'deploy' | 'promote' | 'rollback';
  version: number;
  percent?: number;
  reason: string;
  figures?: Record<string, unknown>;
}

export interface RoutingRecord {
  modelName: string;
  productionVersion: number | null;
  canaryVersion: number | null;
  canaryPercent: number;
  /** The number the next registered version gets. */
  nextVersion: number;
  decisions: RoutingDecision[];
  /** The version each training job registered, so a retried registration finds its own. */
  versionsByJob?: Record<string, number>;
}

export class RegistryConflictError extends Error {
  override name = 'RegistryConflictError';
}

/**
 * A decision about a canary (`ifCanary`) found another canary, or none, in the routing record when
 * it came to write: someone acted on it meanwhile, so this decision is not recorded.
 */
export class CanaryChangedError extends Error {
  override name = 'CanaryChangedError';
  constructor(
    readonly expected: number,
    readonly found: number | null,
  ) {
    super(`the canary is ${found ?? 'gone'}, not ${expected}: it changed meanwhile`);
  }
}

function checkCanary(routing: RoutingRecord, ifCanary: number | undefined): void {
  if (ifCanary !== undefined && routing.canaryVersion !== ifCanary)
    throw new CanaryChangedError(ifCanary, routing.canaryVersion);
}

const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_ATTEMPTS = 20;

export class ModelRegistry {
  constructor(private readonly container: ContainerClient) {}

  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists();
  }

  /** Takes the next version number and writes the record as `candidate`. */
  async registerVersion(record: Omit<ModelVersionRecord, 'version' | 'status'>): Promise<ModelVersionRecord> {
    checkName(record.modelName);
    const routing = await this.updateRouting(record.modelName, (r) => ({
      ...r,
      nextVersion: r.nextVersion + 1,
    }));
    const full: ModelVersionRecord = { ...record, version: routing.nextVersion - 1, status: 'candidate' };
    await this.writeJson(versionBlob(full.modelName, full.version), full, undefined);
    return full;
  }

  /**
   * Registers the version of one training job, once however often it is retried: the number is
   * taken under the routing record's ETag together with the job's entry, the artifact goes in before
   * the record (a reader who finds the record finds the model), and a record already written is
   * returned as it is.
   */
  async registerVersionForJob(
    jobId: string,
    record: Omit<ModelVersionRecord, 'version' | 'status' | 'jobId'>,
    artifact: Buffer,
  ): Promise<ModelVersionRecord> {
    checkName(record.modelName);
    const routing = await this.updateRouting(record.modelName, (r) =>
      r.versionsByJob?.[jobId] !== undefined
        ? r
        : {
            ...r,
            nextVersion: r.nextVersion + 1,
            versionsByJob: { ...r.versionsByJob, [jobId]: r.nextVersion },
          },
    );
    const version = routing.versionsByJob![jobId]!;
    const existing = await this.getVersion(record.modelName, version);
    if (existing) return existing;
    await this.putArtifact(record.modelName, version, artifact);
    const full: ModelVersionRecord = { ...record, jobId, version, status: 'candidate' };
    try {
      await this.writeJson(versionBlob(full.modelName, version), full, undefined);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return (await this.getVersion(record.modelName, version))!;
    }
    return full;
  }

  async putDataQualityReport(modelName: string, jobId: string, report: DataQualityReport): Promise<string> {
    checkName(modelName);
    const name = `models/${modelName}/data-quality/${jobId}.json`;
    const body = JSON.stringify(report, null, 2);
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
    return name;
  }

  async putArtifact(modelName: string, version: number, bytes: Buffer): Promise<void> {
    checkName(modelName);
    await this.container.getBlockBlobClient(artifactBlob(modelName, version)).uploadData(bytes);
  }

  async getArtifact(modelName: string, version: number): Promise<Buffer> {
    return this.container.getBlockBlobClient(artifactBlob(modelName, version)).downloadToBuffer();
  }

  async getVersion(modelName: string, version: number): Promise<ModelVersionRecord | null> {
    return (await this.readJson<ModelVersionRecord>(versionBlob(modelName, version)))?.value ?? null;
  }

  async listVersions(modelName: string): Promise<ModelVersionRecord[]> {
    checkName(modelName);
    const out: ModelVersionRecord[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: `models/${modelName}/versions/` })) {
      const read = await this.readJson<ModelVersionRecord>(blob.name);
      if (read) out.push(read.value);
    }
    return out.sort((a, b) => a.version - b.version);
  }

  async getRouting(modelName: string): Promise<RoutingRecord> {
    checkName(modelName);
    return (await this.readJson<RoutingRecord>(routingBlob(modelName)))?.value ?? emptyRouting(modelName);
  }

  /** Read-modify-write of the routing record under its ETag; `change` may run more than once. */
  updateRouting(
    modelName: string,
    change: (current: RoutingRecord) => RoutingRecord,
  ): Promise<RoutingRecord> {
    checkName(modelName);
    return this.readModifyWrite(routingBlob(modelName), () => emptyRouting(modelName), change);
  }

  updateVersion(
    modelName: string,
    version: number,
    change: (current: ModelVersionRecord) => ModelVersionRecord,
  ): Promise<ModelVersionRecord> {
    return this.readModifyWrite(
      versionBlob(modelName, version),
      () => {
        throw new RangeError(`version: ${modelName} has no version ${version}`);
      },
      change,
    );
  }

  /**
   * Routes `percent` of users to `version` as the canary, or with 100 makes it production (the
   * previous production version retires). The decision is logged in the routing record. With
   * `ifCanary`, only while that version is the canary (checked in the ETag-guarded write; else
   * CanaryChangedError and nothing written).
   */
  async deploy(
    modelName: string,
    version: number,
    percent: number,
    reason: string,
    figures?: Record<string, unknown>,
    ifCanary?: number,
  ): Promise<RoutingRecord> {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100)
      throw new RangeError('percent: must be a whole number from 1 to 100');
    if (!(await this.getVersion(modelName, version)))
      throw new RangeError(`version: ${modelName} has no version ${version}`);
    let retired: number | null = null;
    const routing = await this.updateRouting(modelName, (r) => {
      checkCanary(r, ifCanary);
      const at = new Date().toISOString();
      if (percent === 100) {
        retired = r.productionVersion !== version ? r.productionVersion : null;
        return {
          ...r,
          productionVersion: version,
          canaryVersion: r.canaryVersion === version ? null : r.canaryVersion,
          canaryPercent: r.canaryVersion === version ? 0 : r.canaryPercent,
          decisions: [
            ...r.decisions,
            { at, action: 'promote', version, percent, reason, ...(figures ? { figures } : {}) },
          ],
        };
      }
      return {
        ...r,
        canaryVersion: version,
        canaryPercent: percent,
        decisions: [
          ...r.decisions,
          { at, action: 'deploy', version, percent, reason, ...(figures ? { figures } : {}) },
        ],
      };
    });
    await this.updateVersion(modelName, version, (v) => ({
      ...v,
      status: percent === 100 ? 'production' : 'canary',
    }));
    if (retired !== null) await this.updateVersion(modelName, retired, (v) => ({ ...v, status: 'retired' }));
    return routing;
  }

  /**
   * All traffic back to production; the canary version is marked rolled_back. With `ifCanary`, only
   * while that version is the canary (as for deploy).
   */
  async rollback(
    modelName: string,
    reason: string,
    figures?: Record<string, unknown>,
    ifCanary?: number,
  ): Promise<RoutingRecord> {
    let rolledBack: number | null = null;
    const routing = await this.updateRouting(modelName, (r) => {
      checkCanary(r, ifCanary);
      rolledBack = r.canaryVersion;
      if (r.canaryVersion === null) return r;
      const decision: RoutingDecision = {
        at: new Date().toISOString(),
        action: 'rollback',
        version: r.canaryVersion,
        reason,
        ...(figures ? { figures } : {}),
      };
      return { ...r, canaryVersion: null, canaryPercent: 0, decisions: [...r.decisions, decision] };
    });
    if (rolledBack !== null)
      await this.updateVersion(modelName, rolledBack, (v) => ({ ...v, status: 'rolled_back' }));
    return routing;
  }

  private async readModifyWrite<T>(
    blobName: string,
    initial: () => T,
    change: (current: T) => T,
  ): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.readJson<T>(blobName);
      const next = change(current ? current.value : initial());
      try {
        await this.writeJson(blobName, next, current?.etag);
        return next;
      } catch (error) {
        if (!isConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
    throw new RegistryConflictError(`${blobName}: still changing under us after ${MAX_ATTEMPTS} attempts`);
  }

  private async readJson<T>(blobName: string): Promise<{ value: T; etag: string } | null> {
    try {
      const client = this.container.getBlockBlobClient(blobName);
      const response = await client.download();
      const body = await streamToBuffer(response.readableStreamBody!);
      return { value: JSON.parse(body.toString('utf8')) as T, etag: response.etag! };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }

  /** With `etag`: only if unchanged since read; without: only if the blob does not exist yet. */
  private async writeJson(blobName: string, value: unknown, etag: string | undefined): Promise<void> {
    const body = JSON.stringify(value, null, 2);
    await this.container.getBlockBlobClient(blobName).upload(body, Buffer.byteLength(body), {
      conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }
}

function isConflict(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409);
}

function checkName(modelName: string): void {
  if (!MODEL_NAME.test(modelName))
    throw new RangeError('modelName: must be 1-63 of a-z, 0-9 and -, starting with a letter or digit');
}

function emptyRouting(modelName: string): RoutingRecord {
  return {
    modelName,
    productionVersion: null,
    canaryVersion: null,
    canaryPercent: 0,
    nextVersion: 1,
    decisions: [],
  };
}

const pad = (version: number) => String(version).padStart(6, '0');
const routingBlob = (name: string) => `models/${name}/routing.json`;
const versionBlob = (name: string, version: number) => `models/${name}/versions/${pad(version)}.json`;
const artifactBlob = (name: string, version: number) => `models/${name}/artifacts/${pad(version)}.bin`;

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
