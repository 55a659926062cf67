import { encodePrincipal, PRINCIPAL_HEADER } from '../../../src/lib/api/caller';
import { opsRefusal } from '../../../src/lib/ops/ops-access';

const auth = { enabled: true, adminRole: 'TripGen.Admin' };
const request = (principal?: string) => ({
  headers: new Headers(principal ? { [PRINCIPAL_HEADER]: principal } : {}),
});

describe('operations dashboard access', () => {
  it('lets administrators in, refuses other users (403) and anonymous callers (401)', () => {
    expect(opsRefusal(request(encodePrincipal('admin-1', ['TripGen.Admin'])), auth)).toBeUndefined();
    expect(opsRefusal(request(encodePrincipal('user-1')), auth)).toMatchObject({ status: 403 });
    expect(opsRefusal(request(), auth)).toMatchObject({ status: 401 });
  });

  it('is open locally, where authentication is off and every caller is the local admin', () => {
    expect(opsRefusal(request(), { ...auth, enabled: false })).toBeUndefined();
  });
});
