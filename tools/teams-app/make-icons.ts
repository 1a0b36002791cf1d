/** Regenerates appPackage/color.png and appPackage/outline.png: `npx tsx src/teams-app/make-icons.ts`. */
import { writeFileSync } from 'node:fs';
import { colorIcon, outlineIcon } from './icons';

const dir = new URL('../../appPackage/', import.meta.url);
writeFileSync(new URL('color.png', dir), colorIcon());
writeFileSync(new URL('outline.png', dir), outlineIcon());
console.log('Wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32, transparent).');
