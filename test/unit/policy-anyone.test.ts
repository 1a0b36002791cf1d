import { describe, expect, it } from 'vitest';
import { mayRead, mayRequest } from '../../src/domain/policy';
import { LOCAL_DEMO_POLICY } from '../../src/policy/index';

describe('the local demo policy allows any tenant, truly', () => {
  const alex = { aadObjectId: '00000000-0000-0000-0000-0000000000a1', groups: [] };

  it('an activity without a tenant id (curl, a bare Bot Framework client) may read and ask for changes', () => {
    expect(mayRead(LOCAL_DEMO_POLICY, { conversationId: 'c-1' })).toEqual({ allowed: true });
    expect(mayRequest(LOCAL_DEMO_POLICY, alex, { conversationId: 'c-1' })).toEqual({ allowed: true });
  });

  it('an explicit tenant list still refuses an activity that names no tenant', () => {
    const strict = { ...LOCAL_DEMO_POLICY, tenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'] };
    expect(mayRead(strict, { conversationId: 'c-1' })).toEqual({ allowed: false, code: 'TENANT_NOT_ALLOWED' });
    expect(mayRequest(strict, alex, { conversationId: 'c-1' })).toEqual({ allowed: false, code: 'TENANT_NOT_ALLOWED' });
  });
});
