import path from 'node:path';
import { startAzuriteBlob, type AzuriteHandle } from '../azurite/azurite-process';

/** The value that means "the Storage emulator on its default ports", which nothing here starts. */
const DEVELOPMENT_STORAGE = 'UseDevelopmentStorage=true';

export interface DevStorage {
  connectionString: string;
  /** What was chosen, for the start-up banner. */
  description: string;
  azurite?: AzuriteHandle;
}

/**
 * Blob Storage for `npm run dev` and the demos. Everything durable here (interactions, profiles,
 * catalogs, batch chunks, models, backups) lives in Blob, so pointing at development storage without
 * starting it would fail on the first write.
 *
 * - `AzureWebJobsStorage` in the environment: used as is (an Azurite of your own, a real account).
 * - local.settings.json naming a real connection string (not `UseDevelopmentStorage=true`): used as is.
 * - otherwise a private Azurite with its data under `.azurite/<name>` in the project (git-ignored), so
 *   a restarted host finds the blobs it wrote before.
 */
export async function devStorage(
  projectRoot: string,
  name: string,
  fromSettings?: string,
): Promise<DevStorage> {
  const fromEnvironment = process.env.AzureWebJobsStorage;
  if (fromEnvironment)
    return { connectionString: fromEnvironment, description: 'AzureWebJobsStorage from the environment' };
  if (fromSettings && fromSettings !== DEVELOPMENT_STORAGE)
    return { connectionString: fromSettings, description: 'AzureWebJobsStorage from local.settings.json' };
  const location = path.join(projectRoot, '.azurite', name);
  const azurite = await startAzuriteBlob({ location });
  return {
    connectionString: azurite.connectionString,
    description: `a private Azurite at ${azurite.blobEndpoint} (data in ${path.relative(projectRoot, location)}/, stopped on exit)`,
    azurite,
  };
}
