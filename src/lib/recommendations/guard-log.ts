import { RestError, type ContainerClient } from '@azure/storage-blob';

export interface GuardCheck {
  at: string;
  modelName: string;
  action: 'rollback' | 'promote' | 'wait';
  reason: string;
  figures: Record<string, unknown>;
}

/** How many of the latest checks a model keeps (a day of 5-minute checks is 288). */
export const GUARD_CHECKS_KEPT = 300;

/**
 * Every look of the canary guard at a live canary, with its figures, including the ones that decided
 * to wait (`models/<name>/guard-checks.json`, newest last, the latest GUARD_CHECKS_KEPT). Rollbacks and
 * promotions are also in the routing record's decisions; this is the trail that led to them.
 */
export class GuardLog {
  constructor(private readonly container: ContainerClient) {}

  async append(check: GuardCheck): Promise<void> {
    const checks = [...(await this.read(check.modelName)), check].slice(-GUARD_CHECKS_KEPT);
    const body = JSON.stringify({ modelName: check.modelName, checks });
    await this.container
      .getBlockBlobClient(blobName(check.modelName))
      .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  }

  async read(modelName: string): Promise<GuardCheck[]> {
    try {
      const buffer = await this.container.getBlockBlobClient(blobName(modelName)).downloadToBuffer();
      return (JSON.parse(buffer.toString('utf8')) as { checks: GuardCheck[] }).checks;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return [];
      throw error;
    }
  }
}

const blobName = (modelName: string) => `models/${modelName}/guard-checks.json`;
