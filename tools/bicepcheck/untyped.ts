/**
 * Resource types the project deploys that infra/bicep-types has no definition for (upstream has none).
 * Their bodies cannot be type-checked; every other type missing from the index is reported as an error.
 * Empty today: every deployed type@apiVersion is vendored.
 */
export const KNOWN_UNTYPED: Readonly<Record<string, string>> = {};
