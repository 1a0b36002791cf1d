import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import type { PlanItem } from '../../domain/plan';

/** The new secret is a field change like any other, described by where it comes from (never its value). */
export const describeSecretChange = (item: PlanItem): ItemLines => existingConnectionLines(item, [], item.secret);
