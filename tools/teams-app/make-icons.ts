/** Regenerates manifest/color.png and manifest/outline.png: `npx tsx src/teams-app/make-icons.ts`. */
import { writeFileSync } from 'node:fs';
import { colorIcon, outlineIcon } from './icons';

const dir = new URL('../../manifest/', import.meta.url);
writeFileSync(new URL('color.png', dir), colorIcon());
writeFileSync(new URL('outline.png', dir), outlineIcon());
console.log('Wrote manifest/color.png (192×192) and manifest/outline.png (32×32, transparent).');
