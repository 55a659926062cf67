import { authNotice } from '../../tools/funchost/auth-notice';

describe('npm run dev says at start who callers are', () => {
  it('off by default: every request acts as an admin', () => {
    expect(authNotice({})).toMatch(/^Authentication OFF: every request acts as an admin/);
    expect(authNotice({ AUTH_ENABLED: 'false' })).toMatch(/^Authentication OFF/);
  });
  it('AUTH_ENABLED=true: callers come from the x-ms-client-principal header', () => {
    expect(authNotice({ AUTH_ENABLED: 'true' })).toMatch(/^Authentication ON .*x-ms-client-principal/);
    expect(authNotice({ AUTH_ENABLED: '1' })).toMatch(/^Authentication ON/);
  });
});
