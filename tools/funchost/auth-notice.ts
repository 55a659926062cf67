/**
 * What `npm run dev` says at start about who callers are (issue 12). The app reads AUTH_ENABLED
 * (src/lib/config/settings.ts): off by default locally, so every request acts as an admin; on, the app
 * reads the caller from the `x-ms-client-principal` header exactly as behind App Service
 * authentication. The host passes that header through untouched: it plays the platform, which in
 * Azure validates the Entra ID token and writes the header itself.
 */
export function authNotice(env: Record<string, string | undefined>): string {
  const setting = env.AUTH_ENABLED?.toLowerCase();
  if (setting === 'true' || setting === '1') {
    return (
      'Authentication ON (AUTH_ENABLED): each request acts as the principal in its x-ms-client-principal ' +
      'header (base64 JSON, as App Service writes it); requests without it get 401.'
    );
  }
  return (
    'Authentication OFF: every request acts as an admin (local development only). ' +
    'Set AUTH_ENABLED=true to read callers from the x-ms-client-principal header.'
  );
}
