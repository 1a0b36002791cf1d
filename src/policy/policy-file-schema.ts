/**
 * The shape of SCBOT_POLICY_FILE (docs/policy.md), as zod checks it. Unknown keys are errors, not ignored: a
 * misspelt `aprovers` must not silently mean "nobody" or "any". Cross-field checks (operation names, duplicate
 * names, rules that could never be approved) are here too, so every problem carries a path to a line.
 */
import { z } from 'zod';
import { ANYONE } from '../domain/policy';
import { CONNECTION_ROLES } from '../domain/devops-roles';
import { READ } from '../domain/policy-rules';
import { GUID } from '../domain/guid';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const text = (what: string) => z.string({ error: `must be ${what} (text)` }).trim().min(1, `must not be empty`).max(256, 'is longer than 256 characters');
const list = (what: string) => z.array(text(what), { error: `must be a list of ${what}` }).min(1, 'must not be an empty list (leave the field out to mean "any")');
const entraId = z.string({ error: 'must be an Entra object id (a GUID) or "*"' })
  .refine((v) => v === ANYONE || GUID.test(v), 'must be an Entra object id (a GUID) or "*"');
const people = z.strictObject({
  users: z.array(entraId, { error: 'must be a list of Entra object ids' }).default([]),
  groups: z.array(entraId, { error: 'must be a list of Entra group object ids' }).default([]),
}, { error: 'must be a map with `users` and/or `groups`' });
const count = (min: number) => z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(10, 'must be at most 10');
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. "2026-12-20T00:00:00Z"' });

export const ruleSchema = z.strictObject({
  name: z.string({ error: 'is required: a name for the rule' }).regex(NAME, 'must be 1-64 letters, digits, ".", "_" or "-"'),
  projects: list('project names or ids').optional(),
  connections: list('connection name globs').optional(),
  operations: list('operation names').optional(),
  conversations: list('conversation ids').optional(),
  approvalConversations: list('conversation ids').optional(),
  requesters: people.optional(),
  approvers: people.optional(),
  approvals: count(1).default(1),
  escalate: z.strictObject({
    overConnections: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').optional(),
    deep: z.boolean({ error: 'must be true or false' }).default(false),
    approvals: count(1),
  }, { error: 'must be a map with `approvals` and `overConnections` and/or `deep`' }).optional(),
  devOpsRole: z.enum([...CONNECTION_ROLES, 'none'], { error: `must be one of ${[...CONNECTION_ROLES, 'none'].join(', ')}` }).default('none'),
}, { error: 'must be a map (one rule)' });

export const freezeSchema = z.strictObject({
  name: z.string({ error: 'is required: a name for the freeze' }).regex(NAME, 'must be 1-64 letters, digits, ".", "_" or "-"'),
  from: instant,
  to: instant,
  projects: list('project names or ids').optional(),
  connections: list('connection name globs').optional(),
  operations: list('operation names').optional(),
  except: z.array(text('operation names'), { error: 'must be a list of operation names' }).default([]),
}, { error: 'must be a map (one freeze)' }).refine((f) => Date.parse(f.from) < Date.parse(f.to), { message: '`to` must be after `from`', path: ['to'] });

const fileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only version of this format)' }),
  rules: z.array(ruleSchema, { error: 'must be a list of rules' }).default([]),
  freezes: z.array(freezeSchema, { error: 'must be a list of freezes' }).default([]),
}, { error: 'the file must be a map with `version: 1`, `rules` and `freezes`' });

export type PolicyFileJson = z.infer<typeof fileSchema>;

function checkOperations(ctx: z.RefinementCtx, ops: readonly string[] | undefined, known: ReadonlySet<string>, path: (string | number)[], star: boolean): void {
  (ops ?? []).forEach((op, i) => {
    if ((star && op === ANYONE) || known.has(op.toLowerCase())) return;
    ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown operation "${op}" (known: ${[...known].join(', ')}${star ? ', *' : ''})` });
  });
}

function checkNames(ctx: z.RefinementCtx, items: ReadonlyArray<{ name: string }>, section: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [section, i, 'name'], message: `"${item.name}" is already the name of another ${section === 'rules' ? 'rule' : 'freeze'}` });
    seen.add(item.name.toLowerCase());
  });
}

/** The whole file, with the operations this build knows (`read` is always one). */
export function policyFileSchema(operations: readonly string[]) {
  const known = new Set([READ, ...operations.map((o) => o.toLowerCase())]);
  return fileSchema.superRefine((file, ctx) => {
    checkNames(ctx, file.rules, 'rules');
    checkNames(ctx, file.freezes, 'freezes');
    file.rules.forEach((rule, i) => {
      checkOperations(ctx, rule.operations, known, ['rules', i, 'operations'], true);
      const readOnly = rule.operations !== undefined && rule.operations.every((o) => o.toLowerCase() === READ);
      const approvers = (rule.approvers?.users.length ?? 0) + (rule.approvers?.groups.length ?? 0);
      if (!readOnly && approvers === 0) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, ...(rule.approvers ? ['approvers'] : [])], message: 'needs approvals but names no approvers, so no plan it covers could ever be approved (add `approvers`, or limit `operations` to [read])' });
      }
    });
    file.freezes.forEach((f, i) => {
      checkOperations(ctx, f.operations, known, ['freezes', i, 'operations'], true);
      checkOperations(ctx, f.except, known, ['freezes', i, 'except'], false);
    });
  });
}
