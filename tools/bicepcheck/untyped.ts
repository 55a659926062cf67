/**
 * Resource types the project deploys that ../shared/bicep-types has no definition for. Their bodies
 * cannot be type-checked; every other type missing from the index is reported as an error.
 */
export const KNOWN_UNTYPED: Readonly<Record<string, string>> = {
  'Microsoft.Insights/components@2020-02-02': 'Application Insights: not part of the snapshot',
  'Microsoft.Insights/diagnosticSettings@2021-05-01-preview': 'diagnostic settings: not part of the snapshot',
};
