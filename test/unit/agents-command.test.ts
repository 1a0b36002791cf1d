import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands';
import { AgentRoute } from '../../src/agents/agent-route';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { VersionConflictError, type Store } from '../../src/store/store.port';
import { mutatingContext, run } from './commands-mutating-fixture';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DANA = '00000000-0000-4000-8000-0000000000d1';
const EVE = '00000000-0000-4000-8000-0000000000e4';
const CHANNEL = '19:platform@thread.tacv2';
const OTHER = '19:approvers@thread.tacv2';
const MCP_URL = 'https://scbot.contoso.com/mcp';

/** Dana may request; changes are asked for in CHANNEL and OTHER is an approvers' channel. */
const policy: PolicyConfig = {
  ...DENY_ALL_POLICY, requesters: { users: [DANA], groups: [] }, conversations: [CHANNEL], approvalConversations: [OTHER], tenants: [TENANT],
};

function setUp(endpointUrl: string | null = MCP_URL) {
  const store = new EmbeddedStore();
  const route = new AgentRoute(store, endpointUrl ?? undefined);
  const turn = (options: { aad?: string; conversation?: string; reference?: boolean } = {}) => {
    const conversation = options.conversation ?? CHANNEL;
    const aad = 'aad' in options ? options.aad : DANA;
    const overrides: Partial<CommandContext> = {
      user: { id: '29:user', name: 'Dana Ops', ...(aad ? { aadObjectId: aad } : {}) },
      conversation: { id: conversation, type: 'channel' },
      place: { conversationId: conversation, tenantId: TENANT },
      policy, audit: new StoreAuditLog(store), agents: route,
      ...(options.reference === false ? {} : { conversationReference: { activityId: 'msg-1', serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: conversation }, channelId: 'msteams' } }),
    };
    return mutatingContext(overrides).ctx;
  };
  return { route, turn, store };
}

describe('agents command', () => {
  it('on routes agent requests here (reference without the activity it answered); status says so; off stops them', async () => {
    const { route, turn } = setUp();
    const on = await run('agents on', turn());
    expect(on.text).toContain('Agent requests will appear in this conversation.');
    expect(on.text).toContain('Agents never approve');
    expect(on.text).toContain(MCP_URL);
    expect(await route.current()).toMatchObject({ conversationId: CHANNEL, setBy: { name: 'Dana Ops', aadObjectId: DANA }, reference: { serviceUrl: 'https://smba.trafficmanager.net/teams/' } });
    expect((await route.current())?.reference).not.toHaveProperty('activityId');
    expect((await run('agents', turn())).text).toContain('Agent requests appear in this conversation (set by Dana Ops on');
    expect((await run('agents off', turn())).text).toContain('Agent requests no longer appear here.');
    expect(await route.current()).toBeUndefined();
    expect((await run('agents status', turn())).text).toContain('Agent requests appear nowhere yet.');
  });

  it('on elsewhere moves the route and says where it was; off in the old place leaves the new one alone', async () => {
    const { route, turn } = setUp();
    await run('agents on', turn());
    const moved = await run('agents on', turn({ conversation: OTHER }));
    expect(moved.text).toContain(`They no longer appear in ${CHANNEL}.`);
    const off = await run('agents off', turn());
    expect(off.text).toContain('Agent requests do not appear in this conversation.');
    expect(off.text).toContain(`another conversation, ${OTHER}`);
    expect((await route.current())?.conversationId).toBe(OTHER);
  });

  it('refuses on/off to someone who is not a requester, audited, nothing changed; status stays readable', async () => {
    const { route, turn, store } = setUp();
    await run('agents on', turn());
    for (const command of ['agents on', 'agents off']) {
      const reply = await run(command, turn({ aad: EVE, conversation: OTHER }));
      expect(reply.text).toContain('You are not allowed to request changes.');
      expect(reply.text).toContain(`(\`${command}\` was not run.)`);
    }
    expect((await route.current())?.conversationId).toBe(CHANNEL);
    expect((await new StoreAuditLog(store).query()).map((e) => [e.kind, e.command])).toEqual([['refused', 'agents off'], ['refused', 'agents on']]);
    expect((await run('agents status', turn({ aad: EVE }))).text).toContain('Agent requests appear in this conversation');
  });

  it('refuses a conversation where changes cannot be approved, and one the bot cannot post into later', async () => {
    const { route, turn } = setUp();
    const nowhere = await run('agents on', turn({ conversation: '19:random@thread.tacv2' }));
    expect(nowhere.text).toContain('Changes cannot be approved in this conversation');
    const noReference = await run('agents on', turn({ reference: false }));
    expect(noReference.text).toContain('I cannot post into this conversation later');
    expect(await route.current()).toBeUndefined();
  });

  it('status says when the MCP endpoint is off; bad input gets the usage', async () => {
    const { turn } = setUp(null);
    expect((await run('agents status', turn())).text).toContain('The MCP endpoint for agents is off (SCBOT_MCP_ENABLED).');
    expect((await run('agents maybe', turn())).text).toContain('Say `agents on`, `agents off` or `agents status`.');
    expect((await run('agents on now', turn())).text).toContain('Usage: `agents [on|off|status]`');
  });
});

describe('agent route', () => {
  it('two requesters at once: the last write wins; a lost race on off keeps the other choice', async () => {
    const inner = new EmbeddedStore();
    let conflicts = 1;
    // The first put loses a race (someone else wrote between the read and the write), as two instances would.
    const racing: Store = Object.assign(Object.create(inner) as Store, {
      put: async (...args: Parameters<Store['put']>) => {
        if (conflicts-- > 0) {
          await inner.put(args[0], args[1], { conversationId: OTHER });
          throw new VersionConflictError(`${args[0]}/${args[1]}`);
        }
        return inner.put(...args);
      },
    });
    const route = new AgentRoute(racing, undefined);
    const previous = await route.routeTo({ conversationId: CHANNEL, conversationType: 'channel', reference: {}, setBy: { name: 'Dana' }, setAt: '2026-12-07T00:00:00.000Z' });
    expect(previous?.conversationId).toBe(OTHER);
    expect((await route.current())?.conversationId).toBe(CHANNEL);
    expect(await route.stop(OTHER)).toBe(false);
    expect(await route.stop(CHANNEL)).toBe(true);
  });
});
