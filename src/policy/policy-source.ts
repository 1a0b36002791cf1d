/**
 * The policy in force, and its reloads. At start an unreadable or invalid SCBOT_POLICY_FILE refuses to start (it
 * never widens access); later, a change to the file is picked up on the next look (a file watch for speed, a poll
 * as the fallback that always works: editors that replace files and Kubernetes ConfigMap swaps defeat watches).
 * An invalid or unreadable file on reload keeps the last valid policy and says so (status() for `policy`, and the
 * event for the log). Without a file, the policy is today's settings, fixed for the process's life.
 */
import { readFile } from 'node:fs/promises';
import { watch as fsWatch } from 'node:fs';
import { AppError } from '../domain/errors';
import type { Clock, Repeat } from '../domain/time';
import type { Log } from '../log';
import { backgroundPass, type BackgroundPass } from '../background/background-job';
import type { Policy } from '../domain/policy-rules';
import { parsePolicyFile, policyVersionOf, problemText, type PolicyProblem } from './policy-file';

export type Stop = () => void;

export interface PolicyStatus {
  version: string;
  origin: Policy['origin'];
  path?: string;
  loadedAt: Date;
  /** The last reload that failed, while the policy above stays in force. Cleared by the next good load. */
  rejected?: { at: Date; problems: readonly string[] };
}

export type PolicyEvent =
  | { kind: 'reloaded'; version: string; previous: string }
  | { kind: 'rejected'; keptVersion: string; problems: readonly string[] };

export interface PolicySourceOptions {
  path: string;
  /** Operation names this build knows (the file may name only these, `read` and `*`). */
  operations: readonly string[];
  clock: Clock;
  /** How often the file is read again, in ms (default 30 s). */
  pollMs?: number;
  onEvent?: (event: PolicyEvent) => void;
  /** Where a reload that failed unexpectedly (not a bad file: onEvent reports that) is logged with its code. */
  logger?: Log;
  /** Injected for tests; default node:fs. */
  read?: (path: string) => Promise<string>;
  every?: (ms: number, run: () => void) => Stop;
  watch?: (path: string, changed: () => void) => Stop;
}

/** Best effort: a watch that cannot start (or dies) leaves the poll to notice changes. */
const defaultWatch = (path: string, changed: () => void): Stop => {
  try {
    const watcher = fsWatch(path, { persistent: false }, changed);
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
};

const readText = (path: string) => readFile(path, 'utf8');

export class PolicySource {
  private policy: Policy;
  private state: PolicyStatus;
  private lastSeen: string | undefined;
  /** The reload as a background pass (poll and watch share it): one read in flight, never thrown out of a timer. */
  private readonly reloads: BackgroundPass<void> | undefined;
  private stops: Stop[] = [];

  private constructor(policy: Policy, private readonly clock: Clock, private readonly options?: PolicySourceOptions) {
    this.policy = policy;
    this.state = { version: policy.version, origin: policy.origin, loadedAt: clock.now(), ...(options ? { path: options.path } : {}) };
    this.lastSeen = options ? policy.version : undefined;
    this.reloads = options && backgroundPass({
      name: 'policy reload', pass: () => this.reloadOnce(options), otherwise: undefined,
      ...(options.logger ? { logger: options.logger } : {}), ...(options.every ? { repeat: repeatOf(options.every) } : {}),
    });
  }

  /** Today's settings, no file: nothing to reload. */
  static fixed(policy: Policy, clock: Clock): PolicySource {
    return new PolicySource(policy, clock);
  }

  /** Reads and validates the file; throws CONFIG.INVALID naming every problem (line and field) when it is not usable. */
  static async open(options: PolicySourceOptions): Promise<PolicySource> {
    const loaded = await load(options);
    if (!loaded.ok) throw new AppError('CONFIG.INVALID', `SCBOT_POLICY_FILE ${options.path} is not usable:\n${loaded.problems.join('\n')}`);
    return new PolicySource(loaded.policy, options.clock, options);
  }

  current(): Policy {
    return this.policy;
  }

  status(): PolicyStatus {
    return { ...this.state };
  }

  /** Reads the file again now. Concurrent calls share one read. */
  reload(): Promise<void> {
    return this.reloads?.runOnce() ?? Promise.resolve();
  }

  /** Starts the watch and the poll (no-op without a file). */
  start(): void {
    const o = this.options;
    if (!o || !this.reloads || this.stops.length > 0) return;
    this.stops = [this.reloads.every(o.pollMs ?? 30_000), (o.watch ?? defaultWatch)(o.path, () => void this.reload())];
  }

  /** No new reload starts (poll and watch stop); one in flight goes on: idle() waits for it. */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  idle(): Promise<void> {
    return this.reloads?.idle() ?? Promise.resolve();
  }

  private async reloadOnce(o: PolicySourceOptions): Promise<void> {
    const loaded = await load(o);
    // What was read, good or bad: the same text (or the same read error) again is not news.
    const seen = loaded.ok ? loaded.policy.version : loaded.fileVersion ?? loaded.problems.join('\n');
    if (seen === this.lastSeen) return;
    this.lastSeen = seen;
    if (!loaded.ok) {
      this.state = { ...this.state, rejected: { at: this.clock.now(), problems: loaded.problems } };
      o.onEvent?.({ kind: 'rejected', keptVersion: this.policy.version, problems: loaded.problems });
      return;
    }
    const previous = this.policy.version;
    const changed = loaded.policy.version !== previous;
    if (changed) this.policy = loaded.policy;
    this.state = { version: this.policy.version, origin: 'file', path: o.path, loadedAt: changed ? this.clock.now() : this.state.loadedAt };
    if (changed) o.onEvent?.({ kind: 'reloaded', version: loaded.policy.version, previous });
  }
}

/** The option's (ms, run) order as the shared Repeat's (run, ms). */
const repeatOf = (every: NonNullable<PolicySourceOptions['every']>): Repeat => (run, ms) => every(ms, run);

type Loaded = { ok: true; policy: Policy } | { ok: false; problems: string[]; fileVersion?: string };

async function load(o: PolicySourceOptions): Promise<Loaded> {
  let text: string;
  try {
    text = await (o.read ?? readText)(o.path);
  } catch (error) {
    // The Node error code only (ENOENT, EACCES): never the message, which may carry more than the path.
    const code = (error as { code?: unknown })?.code;
    return { ok: false, problems: [`the file cannot be read (${typeof code === 'string' ? code : 'read error'})`] };
  }
  const parsed = parsePolicyFile(text, o.operations);
  if (parsed.ok) return { ok: true, policy: parsed.value };
  return { ok: false, problems: parsed.error.map((p: PolicyProblem) => problemText(p)), fileVersion: policyVersionOf(text) };
}
