import { inflateSync } from 'node:zlib';

/** Reads what the Teams icon rules care about from a PNG: size, colour type and (for filter-0 images) pixels. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA per pixel; only for 8-bit RGB/RGBA images whose rows all use filter 0 (what src/teams-app/png.ts writes). */
  pixels: Uint8Array;
}

export function readPng(bytes: Uint8Array): PngInfo {
  const buf = Buffer.from(bytes);
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  if (buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error('IHDR is not the first chunk');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bitDepth = buf[24] ?? 0;
  const colorType = buf[25] ?? 0;
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length;) {
    const length = buf.readUInt32BE(o);
    if (buf.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + length));
    o += 12 + length;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * channels);
    if (raw[row] !== 0) throw new Error(`row ${y} uses filter ${raw[row]}; this reader only decodes filter 0`);
    for (let x = 0; x < width; x++) {
      const src = row + 1 + x * channels;
      pixels.set([raw[src] ?? 0, raw[src + 1] ?? 0, raw[src + 2] ?? 0, channels === 4 ? (raw[src + 3] ?? 0) : 255], (y * width + x) * 4);
    }
  }
  return { width, height, bitDepth, colorType, pixels };
}
