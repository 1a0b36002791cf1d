import { describe, expect, it } from 'vitest';
import { mayAgentRequest, mayRead, mayRequest } from '../../src/domain/policy';
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

describe('agents are named, never admitted by `*` (issue 26)', () => {
  const agent = { aadObjectId: '0000aaaa-0000-4000-8000-000000000001', groups: ['11111111-0000-4000-8000-000000000001'] };
  const where = { conversationId: '19:c@thread.tacv2', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };

  it('the demo policy lets any person request, but no agent', () => {
    expect(mayAgentRequest(LOCAL_DEMO_POLICY, agent, where)).toEqual({ allowed: false, code: 'NOT_A_REQUESTER' });
  });

  it('an agent listed by object id (any case) may request where people may; a group does not admit it', () => {
    const named = { ...LOCAL_DEMO_POLICY, requesters: { users: [agent.aadObjectId.toUpperCase()], groups: [] } };
    expect(mayAgentRequest(named, agent, where)).toEqual({ allowed: true });
    expect(mayAgentRequest({ ...named, conversations: [] }, agent, where)).toEqual({ allowed: false, code: 'CONVERSATION_NOT_ALLOWED' });
    expect(mayAgentRequest({ ...LOCAL_DEMO_POLICY, requesters: { users: [], groups: [...agent.groups] } }, agent, where)).toEqual({ allowed: false, code: 'NOT_A_REQUESTER' });
    expect(mayAgentRequest(named, { groups: [] }, where)).toEqual({ allowed: false, code: 'NOT_A_REQUESTER' });
  });
});
