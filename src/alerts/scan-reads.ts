/**
 * The scanner's optional reads, each bounded by the calls the scan has left: Graph passwordCredentials once per
 * distinct app (batched when the reader can), and the newest execution record of each connection whose finding a
 * read could change (src/domain/usage-due.ts). A failure on one app or connection becomes a note, never a crash:
 * one app the bot does not own must not hide the findings of the other 9,999 connections.
 */
import PQueue from 'p-queue';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { isAppError, type AppError } from '../domain/errors';
import { secretFindings, type Finding, type FindingThresholds, type PasswordExpiry, type Subject } from '../domain/findings';
import { countSecretEnd, type ConnectionCensus } from '../domain/census';
import { DUE_ORDER, knownFinding, usageDue, usageFinding, type UsageChecks, type UsageDue } from '../domain/usage-due';
import type { UsageMap } from './usage-memory';

/** Only the Graph reads the scanner needs (AppSecrets satisfies it). */
export interface PasswordReader {
  listPasswords(appId: string): Promise<PasswordExpiry[]>;
  /** Many apps in at most `maxCalls` calls; absent = one listPasswords per app. */
  listPasswordsOf?(appIds: readonly string[], maxCalls: number): Promise<{ read: Map<string, PasswordExpiry[] | AppError>; unread: string[]; calls: number }>;
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
  /** Calls this read may make; what does not fit is left for the next scan. */
  maxCalls: number;
}

/** What a read could not judge: failed reads and reads left for the next scan (by connection id). */
export interface ReadOutcome {
  findings: Finding[];
  calls: number;
  failed: string[];
  carried: string[];
  /** Reads left for the next scan (apps for Graph, connections for history). */
  unread: number;
}

/** An expected, typed failure becomes a note; anything else is a bug and propagates. */
function noteOrThrow(error: unknown, note: Omit<ScanNote, 'code'>, notes: ScanNote[]): void {
  if (!isAppError(error)) throw error;
  notes.push({ ...note, code: error.code });
}

/** Reads each app once, however many connections share it, and decides every sharing connection's findings. */
export async function readSecrets(reader: PasswordReader, byApp: Map<string, Subject[]>, context: ReadContext & { census?: ConnectionCensus }): Promise<ReadOutcome> {
  const outcome: ReadOutcome = { findings: [], calls: 0, failed: [], carried: [], unread: 0 };
  const judge = (appId: string, answer: PasswordExpiry[] | unknown) => {
    const subjects = byApp.get(appId) ?? [];
    if (Array.isArray(answer)) {
      for (const subject of subjects) {
        outcome.findings.push(...secretFindings(subject, answer as PasswordExpiry[], context.now, context.thresholds));
        if (context.census) countSecretEnd(context.census, answer as PasswordExpiry[], context.now);
      }
      return;
    }
    // Named by the connections that use the app: an app id alone tells a reader nothing.
    noteOrThrow(answer, { subject: `the secret of ${subjects.map((x) => `${x.name} (${x.project})`).join(', ')} (app ${appId})`, read: 'graph' }, context.notes);
    outcome.failed.push(...subjects.map((s) => s.endpointId));
  };
  const apps = [...byApp.keys()];
  if (reader.listPasswordsOf && apps.length > 0) {
    const many = await reader.listPasswordsOf(apps, context.maxCalls);
    outcome.calls = many.calls;
    for (const [appId, answer] of many.read) judge(appId, answer);
    outcome.carried = many.unread.flatMap((appId) => (byApp.get(appId) ?? []).map((s) => s.endpointId));
    outcome.unread = many.unread.length;
    return outcome;
  }
  const queue = new PQueue({ concurrency: context.concurrency });
  const reached = apps.slice(0, Math.max(0, context.maxCalls));
  outcome.carried = apps.slice(reached.length).flatMap((appId) => (byApp.get(appId) ?? []).map((s) => s.endpointId));
  outcome.unread = apps.length - reached.length;
  await queue.addAll(reached.map((appId) => async () => {
    outcome.calls += 1;
    judge(appId, await reader.listPasswords(appId).catch((error: unknown) => error));
  }));
  return outcome;
}

export interface UnusedCandidate {
  subject: Subject;
  createdAt?: string | Date | null;
}

export interface UsageContext extends ReadContext {
  checks: UsageChecks;
  /** What earlier scans learnt (updated in place with what this one reads); absent = read every candidate. */
  known?: UsageMap;
}

interface DueRead {
  candidate: UnusedCandidate;
  due: UsageDue;
  checkedAt: number;
}

/**
 * Reads the candidates whose finding a read could change (all of them without a memory), most needed first, as
 * many as the calls allow; the others are judged from what was learnt. top=1: the newest record is the last use.
 */
export async function readUsage(devops: ServiceEndpoints, candidates: readonly UnusedCandidate[], context: UsageContext): Promise<ReadOutcome> {
  const outcome: ReadOutcome = { findings: [], calls: 0, failed: [], carried: [], unread: 0 };
  const due: DueRead[] = [];
  for (const candidate of candidates) {
    const known = context.known?.get(candidate.subject.endpointId.toLowerCase());
    const why = context.known ? usageDue(candidate.subject, known, candidate.createdAt, context.now, context.checks) : 'never-read';
    if (why) due.push({ candidate, due: why, checkedAt: known?.checkedAt ?? 0 });
    else if (known) pushFound(outcome.findings, knownFinding(candidate.subject, known, candidate.createdAt, context.now, context.checks));
  }
  due.sort((a, b) => DUE_ORDER[a.due] - DUE_ORDER[b.due] || a.checkedAt - b.checkedAt);
  const reads = due.slice(0, Math.max(0, context.maxCalls));
  for (const left of due.slice(reads.length)) {
    const known = context.known?.get(left.candidate.subject.endpointId.toLowerCase());
    // A refresh that waits is still judged by what was learnt; a first or threshold read that waits is a gap.
    if (left.due === 'refresh' && known) pushFound(outcome.findings, knownFinding(left.candidate.subject, known, left.candidate.createdAt, context.now, context.checks));
    else outcome.carried.push(left.candidate.subject.endpointId);
  }
  outcome.unread = outcome.carried.length;
  const queue = new PQueue({ concurrency: context.concurrency });
  await queue.addAll(reads.map(({ candidate }) => async () => {
    outcome.calls += 1;
    try {
      const page = await devops.executionHistory(candidate.subject.project, candidate.subject.endpointId, { top: 1 });
      const newest = page.records[0];
      const lastUsed = newest ? newest.finishTime ?? newest.startTime : undefined;
      pushFound(outcome.findings, usageFinding(candidate.subject, lastUsed, candidate.createdAt, context.now, context.checks));
      const used = lastUsed === undefined ? Number.NaN : new Date(lastUsed).getTime();
      context.known?.set(candidate.subject.endpointId.toLowerCase(), { ...(Number.isNaN(used) ? {} : { lastUsed: used }), checkedAt: context.now.getTime() });
    } catch (error) {
      noteOrThrow(error, { subject: `the runs of ${candidate.subject.name} (${candidate.subject.project})`, read: 'history' }, context.notes);
      outcome.failed.push(candidate.subject.endpointId);
    }
  }));
  return outcome;
}

function pushFound(into: Finding[], found: Finding | undefined): void {
  if (found) into.push(found);
}
