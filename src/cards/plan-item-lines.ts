/**
 * How a plan item on an existing connection reads on the preview card, by default: its id beside its project (the
 * plan acts on this connection, whatever else has a name like it) and its field changes, before → after. An
 * operation whose change is not a field change (pipeline access, a deletion, a new connection) draws its own lines
 * (src/operations/<operation>/*.preview.ts) and may reuse these.
 */
import { diffEndpoints } from '../domain/diff';
import type { PlanItem, SecretPlan } from '../domain/plan';
import { plural } from './format';
import { inlineCode, outsideText } from './outside-text';

// Room for a federated credential's name, Entra issuer and audience in one line (the issuer move's preview).
const TEXT_MAX = 280;
const NAME_MAX = 80;
// Long enough for an Entra issuer URL (75 characters) to show whole: the issuer move's preview must show it exactly.
const VALUE_MAX = 96;

/**
 * A field's value in code style when that is literal on every client, else quoted and escaped (inlineCode); a
 * secret's description (it starts with the mask) is never cut: it says where the secret comes from.
 */
export const show = (value: string | null): string => {
  if (value === null) return '(none)';
  return inlineCode(value, value.startsWith('••••') ? value.length : VALUE_MAX);
};

export interface ItemLines {
  subtitle: string;
  changes: string;
  compact: string;
}

/** `lines`: the operation's own change lines, shown instead of the field changes when there are any. */
export function existingConnectionLines(item: PlanItem, lines: readonly string[] = [], secret?: SecretPlan): ItemLines {
  const changes = diffEndpoints(item.before, item.after, secret);
  const fieldLines = changes.length ? changes.map((c) => `• ${outsideText(c.path, TEXT_MAX)}: ${show(c.from)} → ${show(c.to)}`) : ['• No field changes.'];
  return {
    subtitle: `${outsideText(item.projectName, NAME_MAX)} · connection ${outsideText(item.endpointId, NAME_MAX)}`,
    changes: (lines.length ? lines : fieldLines).join('\n\n'),
    compact: `${outsideText(item.endpointId, 40)} · ${plural(changes.length, 'change')}`,
  };
}
