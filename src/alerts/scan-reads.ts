/**
 * The scanner's optional reads, each bounded: Graph passwordCredentials once per distinct app, and the newest
 * execution record per connection that could be unused. A failure on one app or connection becomes a note,
 * never a crash: one app the bot does not own must not hide the findings of the other 9,999 connections.
 */
import PQueue from 'p-queue';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { isAppError } from '../domain/errors';
import { secretFindings, unusedFinding, willBeDisabledFinding, type Finding, type FindingThresholds, type PasswordExpiry, type Subject } from '../domain/findings';

/** Only the Graph read the scanner needs (AppSecrets.listPasswords satisfies it). */
export interface PasswordReader {
  listPasswords(appId: string): Promise<PasswordExpiry[]>;
}

/** A finding-free remark about a read that could not be made (e.g. GRAPH.FORBIDDEN on one app). */
export interface ScanNote {
  code: string;
  /** The project (list), app id (graph) or connection id (history) the read was about. */
  subject: string;
  read: 'list' | 'graph' | 'history' | 'open-access';
}

export interface ReadContext {
  now: Date;
  thresholds: FindingThresholds;
  concurrency: number;
  notes: ScanNote[];
  /** false: only the will-be-disabled check reads history (the unused check is off). */
  checkUnused?: boolean;
}

/** An expected, typed failure becomes a note; anything else is a bug and propagates. */
function noteOrThrow(error: unknown, note: Omit<ScanNote, 'code'>, notes: ScanNote[]): void {
  if (!isAppError(error)) throw error;
  notes.push({ ...note, code: error.code });
}

/** Reads each app once, however many connections share it, and decides every sharing connection's findings. */
export async function readSecrets(reader: PasswordReader, byApp: Map<string, Subject[]>, context: ReadContext): Promise<{ findings: Finding[]; calls: number }> {
  const queue = new PQueue({ concurrency: context.concurrency });
  const findings: Finding[] = [];
  let calls = 0;
  await queue.addAll([...byApp].map(([appId, subjects]) => async () => {
    calls += 1;
    try {
      const passwords = await reader.listPasswords(appId);
      for (const subject of subjects) findings.push(...secretFindings(subject, passwords, context.now, context.thresholds));
    } catch (error) {
      // Named by the connections that use the app: an app id alone tells a reader nothing.
      noteOrThrow(error, { subject: `the secret of ${subjects.map((x) => `${x.name} (${x.project})`).join(', ')} (app ${appId})`, read: 'graph' }, context.notes);
    }
  }));
  return { findings, calls };
}

export interface UnusedCandidate {
  subject: Subject;
  createdAt?: string | Date | null;
}

/** top=1: the newest record alone says when the connection was last used. */
export async function readUsage(devops: ServiceEndpoints, candidates: readonly UnusedCandidate[], context: ReadContext): Promise<{ findings: Finding[]; calls: number }> {
  const queue = new PQueue({ concurrency: context.concurrency });
  const findings: Finding[] = [];
  let calls = 0;
  await queue.addAll(candidates.map((candidate) => async () => {
    calls += 1;
    try {
      const page = await devops.executionHistory(candidate.subject.project, candidate.subject.endpointId, { top: 1 });
      const newest = page.records[0];
      const lastUsed = newest ? newest.finishTime ?? newest.startTime : undefined;
      // About to be disabled supersedes plain unused: its fix is not only Delete (same read, one finding).
      const found = willBeDisabledFinding(candidate.subject, lastUsed, candidate.createdAt, context.now, context.thresholds)
        ?? (context.checkUnused === false ? undefined : unusedFinding(candidate.subject, lastUsed, candidate.createdAt, context.now, context.thresholds));
      if (found) findings.push(found);
    } catch (error) {
      noteOrThrow(error, { subject: `the runs of ${candidate.subject.name} (${candidate.subject.project})`, read: 'history' }, context.notes);
    }
  }));
  return { findings, calls };
}
