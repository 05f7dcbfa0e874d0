import { DescentError, describeValue } from '@descent/linalg';
import { requireInteger, requireU8, requireF64 } from './validate.js';

/** An 8-bit RGB image, rows top to bottom. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width·height·3 bytes, row-major from the top-left pixel. */
  readonly rgb: Uint8Array;
}

function checkRgb(img: RgbImage, where: string): void {
  if (img === null || typeof img !== 'object') throw new DescentError('INVALID_CONFIG', where, `img must be { width, height, rgb }, got ${describeValue(img)}`);
  requireInteger(img.width, 1, where, 'width');
  requireInteger(img.height, 1, where, 'height');
  if (!(img.rgb instanceof Uint8Array) || img.rgb.length !== img.width * img.height * 3) {
    throw new DescentError('SHAPE_MISMATCH', where, `rgb must hold ${img.width}×${img.height}×3 bytes`);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (ISO-HDLC, as used by PNG and zlib).
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('IEND')).toString(16);
 * // 'ae426082'
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  requireU8(bytes, 'crc32', 'bytes');
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type Deflate = (data: Uint8Array, options: { level: number }) => Uint8Array;

// node:zlib is looked up at call time through process.getBuiltinModule (no static import), so the
// module bundles for browsers.
function deflateFromNode(): Deflate | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as { deflateSync?: Deflate } | undefined;
  return zlib?.deflateSync ?? null;
}

/** A zlib stream of uncompressed ("stored") deflate blocks: valid everywhere, no compressor needed. */
function storedZlib(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + 5 * blocks + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[o] = b === blocks - 1 ? 1 : 0;
    out[o + 1] = len & 0xff;
    out[o + 2] = len >>> 8;
    out[o + 3] = ~len & 0xff;
    out[o + 4] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o + 5);
    o += 5 + len;
  }
  let a = 1;
  let c = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    c = (c + a) % 65521;
  }
  new DataView(out.buffer).setUint32(o, ((c << 16) | a) >>> 0);
  return out;
}

/**
 * Encodes an RGB image as PNG (8-bit truecolour, filter 0): no dependencies. Under Node the pixel data
 * is compressed with `node:zlib` (level 9); elsewhere (browsers) it is stored uncompressed, still a
 * valid PNG.
 *
 * @example
 * ```ts
 * encodePng({ width: 1, height: 1, rgb: new Uint8Array([255, 0, 0]) }).subarray(1, 4);
 * // Uint8Array [80, 78, 71]
 * ```
 */
export function encodePng(img: RgbImage): Uint8Array {
  checkRgb(img, 'encodePng');
  const { width, height, rgb } = img;
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let j = 0; j < height; j++) raw.set(rgb.subarray(j * stride, (j + 1) * stride), j * (stride + 1) + 1);
  const deflate = deflateFromNode();
  const idat = deflate ? new Uint8Array(deflate(raw, { level: 9 })) : storedZlib(raw);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  const out = new Uint8Array(8 + chunks.reduce((a, c) => a + c.length, 0));
  out.set(sig, 0);
  let off = 8;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an RGB image as binary PPM (P6).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(encodePpm({ width: 1, height: 1, rgb: new Uint8Array(3) }).subarray(0, 2));
 * // 'P6'
 * ```
 */
export function encodePpm(img: RgbImage): Uint8Array {
  checkRgb(img, 'encodePpm');
  const head = new TextEncoder().encode(`P6\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(head.length + img.rgb.length);
  out.set(head, 0);
  out.set(img.rgb, head.length);
  return out;
}

const isRgb = (c: unknown): boolean => Array.isArray(c) && c.length === 3 && c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);

/** `INVALID_CONFIG` unless `palette` is a RegionPalette: RGB triples of integers in [0, 255]. */
function checkPalette(palette: RegionPalette, where: string): void {
  const p = palette as Partial<RegionPalette> | null;
  if (p === null || typeof p !== 'object' || !Array.isArray(p.labels) || p.labels.length === 0 || !p.labels.every(isRgb) || !isRgb(p.undecided) || !isRgb(p.diverged) || !isRgb(p.saddle)) {
    throw new DescentError('INVALID_CONFIG', where, 'palette must have labels (a non-empty list of [r, g, b]) and undecided, diverged and saddle colours, each of integers in [0, 255]');
  }
}

/** Colours of a region image. */
export interface RegionPalette {
  /** Colour of label ℓ (1-based) of a converged start; cycled. */
  readonly labels: readonly (readonly [number, number, number])[];
  readonly undecided: readonly [number, number, number];
  readonly diverged: readonly [number, number, number];
  readonly saddle: readonly [number, number, number];
}

/**
 * The default palette: non-converged starts grey as in the paper's figures (diverged light, undecided
 * darker, saddle black), converged ones coloured by minimizer (coolwarm ends for the two signs).
 *
 * @example
 * ```ts
 * DEFAULT_PALETTE.labels[0];
 * // [180, 4, 38]
 * ```
 */
export const DEFAULT_PALETTE: RegionPalette = {
  labels: [
    [180, 4, 38],
    [59, 76, 192],
    [244, 165, 96],
    [102, 194, 165],
  ],
  undecided: [110, 110, 110],
  diverged: [200, 200, 200],
  saddle: [0, 0, 0],
};

/**
 * Renders a status/label map (pixel (i, j) at j·n1 + i, row 0 = bottom) as an RGB image with the
 * top row = largest β, so it looks like the usual plot.
 *
 * @example
 * ```ts
 * regionImage(new Uint8Array([1, 2]), new Uint8Array([1, 0]), 2, 1).rgb.subarray(0, 3);
 * // Uint8Array [180, 4, 38]
 * ```
 */
export function regionImage(status: Uint8Array, label: Uint8Array, n1: number, n2: number, palette: RegionPalette = DEFAULT_PALETTE): RgbImage {
  const where = 'regionImage';
  requireU8(status, where, 'status');
  requireU8(label, where, 'label');
  checkPalette(palette, where);
  requireInteger(n1, 1, where, 'n1');
  requireInteger(n2, 1, where, 'n2');
  if (status.length !== n1 * n2 || label.length !== n1 * n2) throw new DescentError('SHAPE_MISMATCH', where, `status and label must have ${n1 * n2} pixels`);
  const rgb = new Uint8Array(n1 * n2 * 3);
  for (let j = 0; j < n2; j++) {
    for (let i = 0; i < n1; i++) {
      const p = j * n1 + i;
      const s = status[p]!;
      const c =
        s === 1
          ? palette.labels[(Math.max(1, label[p]!) - 1) % palette.labels.length]!
          : s === 2
            ? palette.diverged
            : s === 3
              ? palette.saddle
              : palette.undecided;
      const q = ((n2 - 1 - j) * n1 + i) * 3;
      rgb[q] = c[0];
      rgb[q + 1] = c[1];
      rgb[q + 2] = c[2];
    }
  }
  return { width: n1, height: n2, rgb };
}

/**
 * Renders a continuous value over converged pixels (Fig. 1's colouring by a coordinate of the
 * selected minimizer) with a blue–white–red ramp over [min, max] of the converged values; other
 * pixels grey.
 *
 * @example
 * ```ts
 * valueImage(new Uint8Array([1, 1]), new Float64Array([-1, 1]), 2, 1).rgb.subarray(3, 6);
 * // Uint8Array [180, 4, 38]
 * ```
 */
export function valueImage(status: Uint8Array, value: Float64Array, n1: number, n2: number): RgbImage {
  const where = 'valueImage';
  requireU8(status, where, 'status');
  requireF64(value, where, 'value');
  requireInteger(n1, 1, where, 'n1');
  requireInteger(n2, 1, where, 'n2');
  if (status.length !== n1 * n2 || value.length !== n1 * n2) throw new DescentError('SHAPE_MISMATCH', where, `status and value must have ${n1 * n2} pixels`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < value.length; p++) {
    if (status[p] === 1 && Number.isFinite(value[p]!)) {
      lo = Math.min(lo, value[p]!);
      hi = Math.max(hi, value[p]!);
    }
  }
  const blue = [59, 76, 192];
  const white = [221, 221, 221];
  const red = [180, 4, 38];
  const rgb = new Uint8Array(n1 * n2 * 3);
  for (let j = 0; j < n2; j++) {
    for (let i = 0; i < n1; i++) {
      const p = j * n1 + i;
      const q = ((n2 - 1 - j) * n1 + i) * 3;
      let c: number[];
      if (status[p] === 1 && Number.isFinite(value[p]!)) {
        const t = hi > lo ? (value[p]! - lo) / (hi - lo) : 0.5;
        const [a, b, s] = t < 0.5 ? [blue, white, 2 * t] : [white, red, 2 * t - 1];
        c = [0, 1, 2].map((k) => Math.round(a![k]! + (b![k]! - a![k]!) * s!));
      } else {
        c = status[p] === 2 ? [200, 200, 200] : [110, 110, 110];
      }
      rgb[q] = c[0]!;
      rgb[q + 1] = c[1]!;
      rgb[q + 2] = c[2]!;
    }
  }
  return { width: n1, height: n2, rgb };
}
