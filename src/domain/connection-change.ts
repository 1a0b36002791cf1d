/**
 * A change to a service connection, as the Azure DevOps audit log tells it (src/devops/azure-devops-audit-log.ts
 * reads the wire): which connection, which project, what, who (the bot, a person, another app, or Azure DevOps
 * itself) and when. Pure: the inventory refresher decides from these what to read again; `show`, `list disabled`
 * and the radar can say who changed a connection outside the bot.
 */
import { AUTO_DISABLE_DAYS } from './disable';

export type ConnectionChangeAction = 'created' | 'modified' | 'deleted' | 'shared' | 'disabled' | 'enabled' | 'property-changed';

/** bot: this bot's own identity; app: another service principal (a pipeline, a script); service: Azure DevOps itself. */
export type ChangeActorKind = 'bot' | 'person' | 'app' | 'service';

export interface ChangeActor {
  kind: ChangeActorKind;
  /** Display name (person, app); never an e-mail address or token. */
  name: string | undefined;
}

export interface ConnectionChange {
  /** The audit entry's id: how reads of overlapping windows are told apart. */
  entryId: string;
  /** ISO time of the change. */
  at: string;
  /** As the log names it, e.g. `Library.ServiceConnectionModified`. */
  actionId: string;
  action: ConnectionChangeAction;
  connectionId: string | undefined;
  connectionName: string | undefined;
  /** The project the entry names; absent for org-level changes and changes across several projects. */
  projectId: string | undefined;
  projectName: string | undefined;
  actor: ChangeActor;
  /** A person in a browser ([infer] from the user agent): "in the portal". */
  portal: boolean;
}

/** The last change made outside the bot that the Azure DevOps audit log told of. */
export interface OutsideChange {
  action: ConnectionChangeAction;
  by: ChangeActorKind;
  /** Display name of the person or app; absent for Azure DevOps itself. */
  name: string | undefined;
  /** When, in ms. */
  at: number;
  /** A person in a browser: the portal ([infer] from the audit entry's user agent). */
  portal: boolean;
}

/** The annotation an inventory entry keeps of a change made outside the bot; undefined for the bot's own. */
export function outsideChangeOf(change: ConnectionChange): OutsideChange | undefined {
  if (change.actor.kind === 'bot') return undefined;
  const at = Date.parse(change.at);
  if (Number.isNaN(at)) return undefined;
  return { action: change.action, by: change.actor.kind, name: change.actor.name, at, portal: change.portal };
}

const MINUTE_MS = 60_000;

/** "just now", "12 min ago", "2 h ago", "3 d ago". */
export function agoText(thenMs: number, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - thenMs) / MINUTE_MS));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

const VERB: Readonly<Record<ConnectionChangeAction, string>> = {
  created: 'created', modified: 'changed', deleted: 'deleted', shared: 'shared', disabled: 'disabled', enabled: 'enabled', 'property-changed': 'changed',
};

/**
 * One line for `show` and the radar: "disabled by Azure DevOps after 100 days without use, 3 d ago",
 * "changed by Ivo Petrov in the portal, 2 h ago", "changed by deploy-app (an app), just now".
 */
export function outsideChangeText(change: OutsideChange, now: Date): string {
  const verb = VERB[change.action];
  const when = agoText(change.at, now);
  if (change.by === 'service') {
    const why = change.action === 'disabled' ? ` after ${AUTO_DISABLE_DAYS} days without use` : '';
    return `${verb} by Azure DevOps${why}, ${when}`;
  }
  const who = change.name ?? (change.by === 'app' ? 'an app' : 'someone');
  const how = change.by === 'app' ? (change.name ? ' (an app)' : '') : change.portal ? ' in the portal' : '';
  return `${verb} by ${who}${how}, ${when}`;
}
