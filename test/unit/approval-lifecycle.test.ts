import { describe, expect, it } from 'vitest';
import { APPROVAL_STATES, canTransition, finalState, isExpired, isSettled, samePerson, transition, type ApprovalRecord, type ApprovalState } from '../../src/domain/approval';

const record = (state: ApprovalState): ApprovalRecord => ({
  planId: 'P-ABCDEFGH', planVersion: '0123456789abcdef', state, requester: { id: '29:a', name: 'A' }, conversation: { id: 'c', type: 'channel' },
  createdAt: '2026-11-22T06:00:00.000Z', expiresAt: '2026-11-22T06:30:00.000Z', approvers: [], approvalsNeeded: 1, updatedAt: '2026-11-22T06:00:00.000Z',
});

describe('approval lifecycle', () => {
  it('allows exactly the documented moves', () => {
    const allowed = APPROVAL_STATES.flatMap((from) => APPROVAL_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual([
      'proposed→proposed', 'proposed→approved', 'proposed→rejected', 'proposed→expired', 'proposed→stale',
      'approved→executing', 'approved→stale', 'executing→done', 'executing→partially_failed', 'executing→failed',
    ]);
  });

  it('settled states take no further move', () => {
    expect(APPROVAL_STATES.filter(isSettled)).toEqual(['done', 'partially_failed', 'failed', 'rejected', 'expired', 'stale']);
    expect(() => transition(record('rejected'), 'approved', new Date())).toThrow(/rejected → approved/);
    expect(() => transition(record('proposed'), 'executing', new Date())).toThrow();
  });

  it('transition stamps the time and applies the patch without touching the input', () => {
    const before = record('proposed');
    const after = transition(before, 'approved', new Date('2026-11-22T06:05:00.000Z'), { approvers: [{ id: '29:b', name: 'B' }] });
    expect(after).toMatchObject({ state: 'approved', updatedAt: '2026-11-22T06:05:00.000Z', approvers: [{ id: '29:b', name: 'B' }] });
    expect(before.state).toBe('proposed');
  });

  it('maps a run to its final state', () => {
    expect(finalState({ done: 3, failed: 0, skipped: 1 })).toBe('done');
    expect(finalState({ done: 2, failed: 1, skipped: 0 })).toBe('partially_failed');
    expect(finalState({ done: 0, failed: 2, skipped: 1 })).toBe('failed');
  });

  it('expires at expiresAt, not a millisecond before', () => {
    expect(isExpired(record('proposed'), new Date('2026-11-22T06:29:59.999Z'))).toBe(false);
    expect(isExpired(record('proposed'), new Date('2026-11-22T06:30:00.000Z'))).toBe(true);
  });

  it('compares people by Entra object id only: a shared Teams id without one is nobody in particular', () => {
    expect(samePerson({ id: '29:x', name: 'X', aadObjectId: 'ABC' }, { id: '29:y', name: 'Y', aadObjectId: 'abc' })).toBe(true);
    expect(samePerson({ id: '29:x', name: 'X', aadObjectId: 'abc' }, { id: '29:x', name: 'X', aadObjectId: 'def' })).toBe(false);
    expect(samePerson({ id: '29:x', name: 'X' }, { id: '29:x', name: 'Other name' })).toBe(false);
    expect(samePerson({ id: '29:x', name: 'X', aadObjectId: 'abc' }, { id: '29:x', name: 'X' })).toBe(false);
  });
});
