import { encodePng, paint, type Rgba } from './png';

/**
 * The two icons Teams requires: a full-colour 192×192 icon and a 32×32 outline icon that is white on a
 * transparent background (Teams tints it). The motif is a plug-like ring with a key stem: a "connection".
 */
export const ACCENT_COLOR = '#2B5797';

const ACCENT: Rgba = [0x2b, 0x57, 0x97, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** True on the motif: a ring centred at (0.5, 0.4) and a stem going down from it. */
function onMotif(x: number, y: number): boolean {
  const r = Math.hypot(x - 0.5, y - 0.4);
  const ring = r > 0.16 && r < 0.27;
  const stem = Math.abs(x - 0.5) < 0.055 && y > 0.6 && y < 0.86;
  const tooth = x > 0.5 && x < 0.64 && y > 0.74 && y < 0.82;
  return ring || stem || tooth;
}

export function colorIcon(): Buffer {
  return encodePng(paint(192, 192, (x, y) => (onMotif(x, y) ? WHITE : ACCENT)), false);
}

export function outlineIcon(): Buffer {
  return encodePng(paint(32, 32, (x, y) => (onMotif(x, y) ? WHITE : CLEAR)), true);
}
