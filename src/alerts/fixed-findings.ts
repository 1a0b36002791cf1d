/**
 * A finished plan resolves the findings it fixed at once, instead of at the next scan: `alerts status`, the health
 * and welcome cards read the last scan's findings, so after `delete failed` they would list the deleted
 * connections until the radar came by again. The connections the plan changed successfully are judged again by
 * the scan's own rules (their project's list and their app's secrets, nothing else), and their findings that the
 * fresh judgment no longer makes are dropped from the last scan. Only dropped: a finding the change made or changed
 * waits for the next scan, which also posts "resolved" to the conversations that were told.
 *
 * Idempotent by construction (dropping what is gone twice drops nothing more), so a run resumed after a crash
 * between its last item and this update simply does it then.
 */
import { withGapsCarried } from '../domain/alert-delivery';
import type { Finding, FindingKind } from '../domain/findings';
import type { ScanResult } from './scanner';

/** Kinds a plan's change cannot fix (they need execution history or the pipelines' access): kept while the connection exists. */
const NOT_REJUDGED: ReadonlySet<FindingKind> = new Set(['unused', 'will-be-disabled', 'open-to-all']);

/** The connection ids (lower case) `previous` has findings about among `changed`, and the projects they were found in. */
export function affectedBy(previous: readonly Finding[], changed: readonly string[]): { ids: Set<string>; projects: string[] } {
  const wanted = new Set(changed.map((id) => id.toLowerCase()));
  const hit = previous.filter((f) => wanted.has(f.endpointId.toLowerCase()));
  return { ids: new Set(hit.map((f) => f.endpointId.toLowerCase())), projects: [...new Set(hit.map((f) => f.project))] };
}

/**
 * `previous` without the findings of `ids` that `rejudged` (a scan of only those connections) no longer makes. A
 * connection the scan did not find in a project it listed is gone: all its findings go. What the scan could not
 * read (a project's list, an app's secrets) keeps its findings.
 */
export function withoutFixed(previous: readonly Finding[], ids: ReadonlySet<string>, rejudged: ScanResult): Finding[] {
  const judged = new Set(rejudged.judged ?? []);
  const unlisted = new Set(rejudged.gaps.projects.map((p) => p.toLowerCase()));
  const touched = previous.filter((f) => ids.has(f.endpointId.toLowerCase()) && !NOT_REJUDGED.has(f.kind));
  const survivors = new Set(withGapsCarried(touched, rejudged.findings, { ...rejudged.gaps, historyOf: [], openAccessOf: [] }).map((f) => f.key));
  return previous.filter((f) => {
    const id = f.endpointId.toLowerCase();
    if (!ids.has(id)) return true;
    if (NOT_REJUDGED.has(f.kind)) return judged.has(id) || unlisted.has(f.project.toLowerCase());
    return survivors.has(f.key);
  });
}
