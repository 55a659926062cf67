// The tests' Azurite is the tools' one, in memory (no `location`).
export { startAzuriteBlob, type AzuriteHandle } from '../../tools/azurite/azurite-process';
