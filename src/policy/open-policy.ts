/**
 * The policy in force at start: SCBOT_POLICY_FILE when set (an unusable file throws CONFIG.INVALID naming each line
 * and field, so the bot does not start: it never widens access), otherwise today's SCBOT_* settings as rules. Reload
 * events go to the log; a rejected reload also shows in `policy` (PolicySource.status()).
 */
import type { Clock } from '../domain/time';
import { OPERATION_NAMES } from '../operations/operations';
import type { PolicyConfig } from '../domain/policy';
import type { Logger } from '../logging';
import { policyFromSettings } from './policy-file';
import { PolicySource, type PolicySourceOptions } from './policy-source';

export interface OpenPolicyOptions {
  file?: string;
  settings: PolicyConfig;
  clock: Clock;
  logger: Logger;
  /** Tests: read the file again this often (default 30 s) and without a file watch. */
  tuning?: Pick<PolicySourceOptions, 'pollMs' | 'every' | 'watch' | 'read'>;
}

export async function openPolicy(o: OpenPolicyOptions): Promise<PolicySource> {
  if (!o.file) return PolicySource.fixed(policyFromSettings(o.settings), o.clock);
  const source = await PolicySource.open({
    path: o.file, operations: OPERATION_NAMES, clock: o.clock, logger: o.logger, ...o.tuning,
    onEvent: (event) => (event.kind === 'reloaded'
      ? o.logger.info({ version: event.version, previous: event.previous }, 'policy file reloaded')
      : o.logger.error({ keptVersion: event.keptVersion, problems: event.problems }, 'policy file rejected on reload: the last valid policy stays in force')),
  });
  o.logger.info({ version: source.current().version, rules: source.current().rules.length, freezes: source.current().freezes.length }, 'policy file loaded');
  return source;
}
