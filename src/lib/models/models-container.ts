/** The Blob container of the model registry: routing, version records, artifacts, feedback archive. */
export const MODELS_CONTAINER = 'ai-models';
