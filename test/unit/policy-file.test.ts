/** SCBOT_POLICY_FILE: the format, its defaults, and problems that name the line and the field. */
import { describe, expect, it } from 'vitest';
import { parsePolicyFile, policyFromSettings, problemText } from '../../src/policy/policy-file';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import { OPERATIONS, POLICY_YAML } from './policy-fixture';
import { readFileSync } from 'node:fs';

const problems = (text: string) => {
  const parsed = parsePolicyFile(text, OPERATIONS);
  return parsed.ok ? [] : parsed.error.map(problemText);
};
const GROUP = '3f2b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';

describe('policy file', () => {
  it('reads the format of the issue, and a left-out field means any, except requesters and approvers (nobody)', () => {
    const parsed = parsePolicyFile(POLICY_YAML, OPERATIONS);
    if (!parsed.ok) throw new Error(parsed.error.map(problemText).join('\n'));
    const lead = parsed.value.rules.find((r) => r.name === 'prod-needs-a-lead');
    expect(lead).toMatchObject({ projects: ['*'], operations: ['*'], conversations: ['*'], requesters: { users: [], groups: [] }, approvals: 1, devOpsRole: 'none' });
    expect(parsed.value.freezes[0]).toMatchObject({ name: 'year-end', except: ['revert'], operations: ['*'], from: new Date('2026-12-20T00:00:00Z') });
    expect(parsed.value.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the version is a hash of the file: any change gives another', () => {
    const a = parsePolicyFile(POLICY_YAML, OPERATIONS);
    const b = parsePolicyFile(`${POLICY_YAML}\n# a comment\n`, OPERATIONS);
    expect(a.ok && b.ok && a.value.version !== b.value.version).toBe(true);
  });

  it('names the line and the field of every problem, a misspelt key included', () => {
    expect(problems(`version: 1
rules:
  - name: payments-team
    requesters: { groups: ["payments-engineers"] }
    approvers: { groups: ["${GROUP}"] }
    approvals: 11
    devOpsRole: Admin
    aprovers: 1
freezes:
  - name: year-end
    from: "2026-12-20T00:00:00Z"
    to: "2026-01-04"
`)).toEqual([
      'line 4, rules[0] (payments-team).requesters.groups[0]: must be an Entra object id (a GUID) or "*"',
      'line 6, rules[0] (payments-team).approvals: must be at most 10',
      'line 7, rules[0] (payments-team).devOpsRole: must be one of Reader, User, Administrator, none',
      'line 8, rules[0] (payments-team).aprovers: is not a field of this format (check the spelling)',
      'line 12, freezes[0] (year-end).to: must be an ISO 8601 date-time with a time zone, e.g. "2026-12-20T00:00:00Z"',
      'line 12, freezes[0] (year-end).to: `to` must be after `from`',
    ]);
  });

  it('cross-field problems: unknown operations, duplicate names, a rule nobody could approve, a freeze that ends before it starts', () => {
    expect(problems(`version: 1
rules:
  - name: a
    operations: [rotate, rotat]
    approvers: { users: ["${GROUP}"] }
  - name: A
    operations: [rotate]
freezes:
  - name: f
    from: "2026-12-20T00:00:00Z"
    to: "2026-12-19T00:00:00Z"
`)).toEqual([
      expect.stringMatching(/^line 4, rules\[0\] \(a\)\.operations\[1\]: unknown operation "rotat" \(known: read, rotate/),
      'line 6, rules[1] (A).name: "A" is already the name of another rule',
      'line 6, rules[1] (A): needs approvals but names no approvers, so no plan it covers could ever be approved (add `approvers`, or limit `operations` to [read])',
      'line 11, freezes[0] (f).to: `to` must be after `from`',
    ]);
  });

  it('not YAML, not a map, empty, the wrong version: refused with the line where it can be told', () => {
    expect(problems('version: 1\nrules: [\n')).toEqual([expect.stringMatching(/^line \d, the file: not valid YAML/)]);
    expect(problems('')).toEqual(['the file: is empty: write at least `version: 1`']);
    expect(problems('- a\n- b\n')).toEqual(['line 1, the file: the file must be a map with `version: 1`, `rules` and `freezes`']);
    expect(problems('version: 2\n')).toEqual(['line 1, version: must be 1 (the only version of this format)']);
    expect(problems('version: 1\nrules:\n  - name: x\n    approvers: { users: [a] }\n    approvers: { users: [b] }\n')).toEqual([expect.stringMatching(/^line 5, the file: not valid YAML \(duplicate key\)/)]);
  });

  it('every example in docs/policy.md parses (placeholders filled in)', () => {
    const blocks = [...readFileSync('docs/policy.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/<[^>]+>/g, GROUP));
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expect(problems(block)).toEqual([]);
  });

  it('the demo policy of docs/examples parses against every operation', () => {
    const demo = parsePolicyFile(readFileSync('docs/examples/policy.demo.yaml', 'utf8'), OPERATIONS);
    expect(demo.ok ? demo.value.rules.map((r) => r.name) : demo.error.map(problemText)).toEqual(['anyone-reads', 'demo-changes', 'prod-needs-a-lead']);
  });

  it('without a file, the settings policy is versioned by its content', () => {
    const a = policyFromSettings(LOCAL_DEMO_POLICY);
    expect(a.version).toMatch(/^settings:sha256:[0-9a-f]{64}$/);
    expect(policyFromSettings({ ...LOCAL_DEMO_POLICY, twoApproversOver: 3 }).version).not.toBe(a.version);
  });
});
