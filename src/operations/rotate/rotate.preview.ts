import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import type { RotateItem } from './rotate.payload';

/** The new secret is a field change like any other, described by where it comes from (never its value). */
export const describeSecretChange = (item: RotateItem): ItemLines => existingConnectionLines(item, [], item.secret);
