/**
 * The Azure DevOps role facts a decision needs, asked before deciding: decisions are pure, role reads are I/O.
 * A question names one person and one connection (or, for `create`, one project); its answer is a RoleHolding.
 */
import type { DevOpsRole, RoleHolding, RoleScope } from './devops-roles';
import type { Target } from './policy-rules';

export interface RoleQuestion {
  /** The person's Entra object id. */
  person: string;
  target: Target;
  scope: RoleScope;
}

/** Answers for one decision, keyed by roleKey(question). A missing answer refuses, as an unreadable one does. */
export type RoleAnswers = ReadonlyMap<string, RoleHolding>;

export const NO_ROLE_ANSWERS: RoleAnswers = new Map();

/**
 * `create` makes a connection that has no id yet: Azure DevOps asks for the Creator role on the project then. Every
 * other operation acts on an existing connection and is checked there (roles inherited from the project included).
 */
export function scopeOf(target: Target): RoleScope {
  return target.connection.id === undefined ? 'project' : 'connection';
}

/** The role a rule's `devOpsRole` asks for in that scope: at project level (create) it is always Creator. */
export function neededRole(scope: RoleScope, ruleRole: DevOpsRole): DevOpsRole {
  return scope === 'project' ? 'Creator' : ruleRole;
}

export function roleKey(person: string, target: Target): string {
  const project = (target.project.id ?? `?${target.project.name}`).toLowerCase();
  const where = scopeOf(target) === 'project' ? project : `${project}_${(target.connection.id ?? '').toLowerCase()}`;
  return `${person.toLowerCase()}|${scopeOf(target)}|${where}`;
}

export function questionFor(person: string, target: Target): RoleQuestion {
  return { person, target, scope: scopeOf(target) };
}

/** Distinct questions (one per person and connection), in first-asked order. */
export function distinctQuestions(questions: readonly RoleQuestion[]): RoleQuestion[] {
  const seen = new Map<string, RoleQuestion>();
  for (const q of questions) if (!seen.has(roleKey(q.person, q.target))) seen.set(roleKey(q.person, q.target), q);
  return [...seen.values()];
}

export function answerFor(answers: RoleAnswers, person: string, target: Target): RoleHolding {
  return answers.get(roleKey(person, target)) ?? { kind: 'unreadable', code: 'INTERNAL' };
}
