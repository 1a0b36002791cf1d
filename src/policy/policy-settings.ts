import { z } from 'zod';
import { ANYONE, type PolicyConfig } from '../domain/policy';
import { GUID } from '../domain/guid';

/**
 * The policy half of the configuration (see src/config.ts). Azure mode: every list empty unless set, so nothing
 * may change until an operator says who and where. Local mode: a demo policy so `npm start` is usable — anyone in
 * any local tenant and conversation may request and approve (four-eyes still holds) — per variable, unless set.
 */
export const POLICY_SETTINGS = {
  SCBOT_REQUESTER_IDS: 'Comma-separated Entra object ids of users who may request changes (rotate, delete, convert, revert, create, …). Empty: nobody (local mode: everyone, unless this or SCBOT_REQUESTER_GROUPS is set).',
  SCBOT_REQUESTER_GROUPS: 'Comma-separated Entra group object ids whose members (transitively) may request changes. Looked up in Microsoft Graph only when set.',
  SCBOT_APPROVER_IDS: 'Comma-separated Entra object ids of users who may approve changes; never their own. Empty: nobody (local mode: everyone, unless this or SCBOT_APPROVER_GROUPS is set).',
  SCBOT_APPROVER_GROUPS: 'Comma-separated Entra group object ids whose members (transitively) may approve changes.',
  SCBOT_CHANGE_CONVERSATIONS: 'Comma-separated Teams conversation ids (channels, chats) where changes may be requested and approved; `*` = any. Empty: none (local mode: any).',
  SCBOT_APPROVAL_CONVERSATIONS: 'Comma-separated Teams conversation ids where plans proposed in any conversation may be approved (e.g. an approvers\' channel); `*` = any. Empty: a plan is approved only in the conversation it was proposed in (both modes).',
  SCBOT_ALLOWED_TENANTS: 'Comma-separated tenant ids the bot answers. Empty: changes are refused everywhere and reads are open (local mode: any tenant).',
  SCBOT_PLAN_TTL_MINUTES: 'Minutes a proposed plan can be approved before it expires (1-1440). Default 30.',
  SCBOT_POLICY_FILE: 'Path of a YAML policy file (docs/permissions.md): per-project, per-connection, per-conversation rules, Azure DevOps roles and freezes. Read at start (an invalid file stops the start, naming line and field) and again when it changes; an invalid change keeps the last valid policy. Unset: the SCBOT_* settings above are the policy.',
  SCBOT_TWO_APPROVERS_OVER: 'Plans with more connections than this need two distinct approvers, as do `delete … everywhere` and `deep` (0-10000). Default 10.',
} as const;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function commaList(name: string, rule: 'guid' | 'any') {
  return z.preprocess(blank, z.string().optional()).transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    // Name the position, not the value: a mistyped value can be something the operator did not mean to publish.
    items.forEach((item, i) => {
      if (rule === 'guid' && !GUID.test(item)) ctx.addIssue({ code: 'custom', message: `${name} item ${i + 1} must be a GUID (an Entra object id)` });
    });
    return items;
  });
}

export const policySchema = z.object({
  SCBOT_REQUESTER_IDS: commaList('SCBOT_REQUESTER_IDS', 'guid'),
  SCBOT_REQUESTER_GROUPS: commaList('SCBOT_REQUESTER_GROUPS', 'guid'),
  SCBOT_APPROVER_IDS: commaList('SCBOT_APPROVER_IDS', 'guid'),
  SCBOT_APPROVER_GROUPS: commaList('SCBOT_APPROVER_GROUPS', 'guid'),
  SCBOT_CHANGE_CONVERSATIONS: commaList('SCBOT_CHANGE_CONVERSATIONS', 'any'),
  SCBOT_APPROVAL_CONVERSATIONS: commaList('SCBOT_APPROVAL_CONVERSATIONS', 'any'),
  SCBOT_ALLOWED_TENANTS: commaList('SCBOT_ALLOWED_TENANTS', 'guid'),
  SCBOT_PLAN_TTL_MINUTES: z.preprocess(blank, z.coerce.number().int().min(1).max(1440).default(30)),
  SCBOT_TWO_APPROVERS_OVER: z.preprocess(blank, z.coerce.number().int().min(0).max(10_000).default(10)),
  SCBOT_POLICY_FILE: z.preprocess(blank, z.string().trim().optional()),
});

export type PolicyValues = z.infer<typeof policySchema>;

const freeze = (list: readonly string[]): readonly string[] => Object.freeze([...list]);

function role(users: string[] | undefined, groups: string[] | undefined, demo: boolean): PolicyConfig['requesters'] {
  // A role is "set" when either of its variables is: then both are taken as written (an unset one is empty).
  if (demo && users === undefined && groups === undefined) return Object.freeze({ users: freeze([ANYONE]), groups: freeze([]) });
  return Object.freeze({ users: freeze(users ?? []), groups: freeze(groups ?? []) });
}

export function policyFromValues(v: PolicyValues, mode: 'local' | 'azure'): Readonly<PolicyConfig> {
  const demo = mode === 'local';
  const orDemo = (list: string[] | undefined) => freeze(list ?? (demo ? [ANYONE] : []));
  return Object.freeze({
    requesters: role(v.SCBOT_REQUESTER_IDS, v.SCBOT_REQUESTER_GROUPS, demo),
    approvers: role(v.SCBOT_APPROVER_IDS, v.SCBOT_APPROVER_GROUPS, demo),
    conversations: orDemo(v.SCBOT_CHANGE_CONVERSATIONS),
    // No demo default: even locally, a plan is approved where it was proposed unless this names somewhere else.
    approvalConversations: freeze(v.SCBOT_APPROVAL_CONVERSATIONS ?? []),
    tenants: orDemo(v.SCBOT_ALLOWED_TENANTS),
    planTtlMinutes: v.SCBOT_PLAN_TTL_MINUTES,
    twoApproversOver: v.SCBOT_TWO_APPROVERS_OVER,
  });
}

/** The demo policy of local mode, for callers that build a stack without loadConfig (tests, benchmarks). */
export const LOCAL_DEMO_POLICY: Readonly<PolicyConfig> = policyFromValues(policySchema.parse({}), 'local');
