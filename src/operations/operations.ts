/**
 * The one list of operations. `Operation`, the command registry's change commands, the executor's steps and every
 * wording the cards use are derived from it; adding an operation is its folder plus one line here.
 */
import { AppError } from '../domain/errors';
import type { Step } from '../execution/step';
import { authorizeOperation, restrictOperation } from './access/access.operation';
import { convertOperation } from './convert/convert.operation';
import { createOperation } from './create/create.operation';
import { deleteOperation } from './delete/delete.operation';
import { enableOperation } from './enable/enable.operation';
import { migrateIssuerOperation } from './migrate-issuer/migrate-issuer.operation';
import { hooksOf } from './operation-hooks';
import type { OperationDefinition, OperationHooks } from './operation';
import { revertOperation } from './revert/revert.operation';
import { rotateOperation } from './rotate/rotate.operation';
import { shareOperation, unshareOperation } from './share/share.operation';

export const OPERATIONS = [
  rotateOperation,
  deleteOperation,
  convertOperation,
  revertOperation,
  enableOperation,
  restrictOperation,
  authorizeOperation,
  shareOperation,
  unshareOperation,
  migrateIssuerOperation,
  createOperation,
] as const;

type Definition = (typeof OPERATIONS)[number];

/** Every operation's name: a plan's `operation`, a policy rule's `operations`, a metric's attribute. */
export type Operation = Definition['name'];

export const OPERATION_NAMES: readonly Operation[] = OPERATIONS.map((o) => o.name);

type AllPorts = UnionToIntersection<Parameters<Definition['step']>[0]>;
/** What the steps are built with besides rotate's secret sources: each operation's own ports, together (bot/compose.ts). */
export type StepPorts = Omit<AllPorts, 'rotate'>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

const BY_NAME: ReadonlyMap<string, OperationDefinition<Operation, never>> = new Map(OPERATIONS.map((o) => [o.name, o as OperationDefinition<Operation, never>]));
const HOOKS: ReadonlyMap<string, OperationHooks> = new Map(OPERATIONS.map((o) => [o.name, hooksOf(o)]));

export const isOperation = (name: string): name is Operation => BY_NAME.has(name);

/** The definition of a stored plan's operation; a name this build does not know is an internal error (never guessed). */
export function operationOf(name: string): OperationDefinition<Operation, never> {
  const found = BY_NAME.get(name);
  if (!found) throw new AppError('INTERNAL', `unknown operation "${name}"`);
  return found;
}

export function operationHooks(name: string): OperationHooks {
  const found = HOOKS.get(name);
  if (!found) throw new AppError('INTERNAL', `unknown operation "${name}"`);
  return found;
}

/** One step per operation, each built with the ports it declares. */
export function createSteps(rotate: AllPorts['rotate'], ports: StepPorts): Record<Operation, Step> {
  const all = { ...ports, rotate } as AllPorts;
  return Object.fromEntries(OPERATIONS.map((o) => [o.name, (o.step as (p: AllPorts) => Step)(all)])) as Record<Operation, Step>;
}

/** The change commands, in the list's order (the registry registers them after the read-only ones). */
export const operationCommands = () => OPERATIONS.flatMap((o) => o.commands);
