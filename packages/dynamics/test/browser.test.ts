import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRegionPool, crc32, encodePng, scalarVectorRegionParallel, squareGrid } from '@descent/dynamics';
import { thrownError } from '@descent/linalg/laws';

// A browser has no Node builtins: process.getBuiltinModule (how the Node-only parts load them) finds nothing.
const withoutNodeBuiltins = () => vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined as never);
afterEach(() => {
  vi.restoreAllMocks();
});

function pngParts(png: Uint8Array): { width: number; height: number; idat: Uint8Array } {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: number[] = [];
  while (off < png.length) {
    const len = dv.getUint32(off);
    const type = new TextDecoder().decode(png.subarray(off + 4, off + 8));
    expect(dv.getUint32(off + 8 + len)).toBe(crc32(png.subarray(off + 4, off + 8 + len)));
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
    }
    if (type === 'IDAT') idat.push(...png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return { width, height, idat: Uint8Array.from(idat) };
}

describe('without Node builtins (browsers)', () => {
  test('encodePng stores the pixels in uncompressed deflate blocks that zlib reads back exactly', () => {
    // 200×120 RGB is 72,120 bytes of scanlines: more than one 65,535-byte stored block.
    const width = 200;
    const height = 120;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7 + (i >> 9)) & 0xff);
    const compressed = pngParts(encodePng({ width, height, rgb }));
    withoutNodeBuiltins();
    const stored = pngParts(encodePng({ width, height, rgb }));
    expect([stored.width, stored.height]).toEqual([width, height]);
    expect(stored.idat.length).toBe(2 + 2 * 5 + height * (1 + 3 * width) + 4);
    const raw = inflateSync(stored.idat);
    expect(Buffer.compare(raw, inflateSync(compressed.idat))).toBe(0);
    for (let j = 0; j < height; j++) {
      expect(raw[j * (1 + 3 * width)]).toBe(0);
      expect(Buffer.compare(raw.subarray(j * (1 + 3 * width) + 1, (j + 1) * (1 + 3 * width)), rgb.subarray(j * 3 * width, (j + 1) * 3 * width))).toBe(0);
    }
  });

  test('worker pools are a DescentError (INVALID_CONFIG) naming the function', async () => {
    withoutNodeBuiltins();
    const err = thrownError(() => createRegionPool(1));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain('createRegionPool');
    await expect(scalarVectorRegionParallel({ y: 1, eta: 0.5, grid: squareGrid(3, 8) }, { workers: 1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
