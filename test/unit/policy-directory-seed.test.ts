import { describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed } from '@scbot/stand-ins';
import { parseDirectorySeed } from '@scbot/stand-ins';

const APPROVERS = 'a7000000-0000-4000-8000-0000000000a1';
const LEADS = 'a7000000-0000-4000-8000-0000000000a2';

describe('the Graph stand-in directory from the seed', () => {
  it('the demo seed has approvers, a nested group and a non-security group', async () => {
    const directory = parseDirectorySeed(await loadSeed(DEMO_SEED_PATH));
    expect(directory.memberGroups('00000000-0000-0000-0000-0000000000c3', false).sort()).toEqual([APPROVERS, LEADS].sort());
    expect(directory.memberGroups('00000000-0000-0000-0000-0000000000b2', true)).toEqual([APPROVERS]);
    expect(directory.memberGroups('00000000-0000-0000-0000-0000000000e4', true)).toEqual([]);
    expect(directory.memberGroups('00000000-0000-0000-0000-0000000000e4', false)).toHaveLength(1);
  });

  it('survives a membership cycle (which Entra forbids) without looping', () => {
    const a = 'a0000000-0000-4000-8000-00000000000a';
    const b = 'b0000000-0000-4000-8000-00000000000b';
    const user = 'c0000000-0000-4000-8000-00000000000c';
    const directory = parseDirectorySeed({
      users: [{ id: user, displayName: 'u' }],
      groups: [{ id: a, displayName: 'a', members: [b, user] }, { id: b, displayName: 'b', members: [a] }],
    });
    expect(directory.memberGroups(user, false).sort()).toEqual([a, b]);
  });

  it('treats missing sections as an empty directory and names a bad one', () => {
    expect(parseDirectorySeed({}).knows('a0000000-0000-4000-8000-00000000000a')).toBe(false);
    expect(() => parseDirectorySeed({ groups: [{ id: 'approvers', displayName: 'x' }] })).toThrow(/users\/groups[\s\S]*GUID/);
  });
});
