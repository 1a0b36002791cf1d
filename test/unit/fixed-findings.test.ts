import { describe, expect, it } from 'vitest';
import { affectedBy, withoutFixed } from '../../src/alerts/fixed-findings';
import type { Finding, FindingKind } from '../../src/domain/findings';
import type { ScanResult } from '../../src/alerts/scanner';

const f = (kind: FindingKind, id: string, project = 'Payments', key = `${kind}:${id}`): Finding => ({
  key, kind, endpointId: id, name: `sc-${id}`, project, detail: 'x', severity: 'warning', suggestedAction: 'show',
});
const scan = (findings: Finding[], judged: string[], gaps: Partial<ScanResult['gaps']> = {}): ScanResult => ({
  findings, judged, gaps: { projects: [], secretsOf: [], historyOf: [], ...gaps },
  stats: { calls: { devopsProjects: 0, devopsList: 0, devopsHistory: 0, graph: 0 }, connections: judged.length, notes: [] },
});
const keys = (findings: Finding[]) => findings.map((x) => x.key).sort();

describe('a finished plan resolves the findings it fixed', () => {
  const previous = [
    f('failed', 'a'), f('unused', 'a'), f('secret-expired', 'b', 'Payments', 'secret:b:k1'), f('retiring-issuer', 'b'),
    f('open-to-all', 'b'), f('failed', 'c'), f('failed', 'other'),
  ];

  it('names the connections it has findings about and their projects', () => {
    expect(affectedBy(previous, ['A', 'zzz'])).toEqual({ ids: new Set(['a']), projects: ['Payments'] });
  });

  it('a deleted connection (not listed again) loses every finding; others are untouched', () => {
    expect(keys(withoutFixed(previous, new Set(['a']), scan([], [])))).toEqual(keys(previous.filter((x) => x.endpointId !== 'a')));
  });

  it('a changed connection keeps only what the fresh judgment still finds, and what a change cannot fix', () => {
    // b was rotated and migrated: no secret finding, no issuer finding; still open to all pipelines (not re-judged).
    const after = withoutFixed(previous, new Set(['b']), scan([], ['b']));
    expect(keys(after)).toEqual(keys(previous.filter((x) => x.endpointId !== 'b' || x.kind === 'open-to-all')));
    // c is still failed: its finding stays (the same key).
    expect(keys(withoutFixed(previous, new Set(['c']), scan([f('failed', 'c')], ['c'])))).toEqual(keys(previous));
  });

  it('what the scan could not read keeps its findings: an unread app\'s secrets, an unlisted project', () => {
    expect(keys(withoutFixed(previous, new Set(['b']), scan([], ['b'], { secretsOf: ['b'] })))).toContain('secret:b:k1');
    expect(keys(withoutFixed(previous, new Set(['a']), scan([], [], { projects: ['Payments'] })))).toEqual(keys(previous));
  });

  it('never adds a finding the fresh judgment makes (the next scan posts it)', () => {
    expect(keys(withoutFixed(previous, new Set(['c']), scan([f('failed', 'c'), f('disabled', 'c')], ['c'])))).toEqual(keys(previous));
  });
});
