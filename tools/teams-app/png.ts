import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder (8-bit RGB or RGBA, filter 0): enough to generate the two Teams icons from code, so
 * the repository needs no image editor and no image library to rebuild them.
 */
export type Rgba = readonly [number, number, number, number];

export interface PngImage {
  width: number;
  height: number;
  /** RGBA pixels row by row (4 bytes each). */
  pixels: Uint8Array;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes as RGBA (colour type 6) when `alpha`, else as RGB (colour type 2) and drops the alpha channel. */
export function encodePng(image: PngImage, alpha: boolean): Buffer {
  const channels = alpha ? 4 : 3;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(image.width, 0);
  ihdr.writeUInt32BE(image.height, 4);
  ihdr.set([8, alpha ? 6 : 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(image.height * (1 + image.width * channels));
  let o = 0;
  for (let y = 0; y < image.height; y++) {
    raw[o++] = 0; // filter type 0 (None) for every row
    for (let x = 0; x < image.width; x++) {
      const p = (y * image.width + x) * 4;
      for (let c = 0; c < channels; c++) raw[o++] = image.pixels[p + c] ?? 0;
    }
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** Paints an image from a per-pixel function of the pixel centre, in coordinates from 0 to 1. */
export function paint(width: number, height: number, at: (x: number, y: number) => Rgba): PngImage {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(at((x + 0.5) / width, (y + 0.5) / height), (y * width + x) * 4);
  }
  return { width, height, pixels };
}
