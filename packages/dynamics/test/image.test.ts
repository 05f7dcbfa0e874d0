import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { crc32, encodePng, encodePpm, regionImage, scalarVectorRegion, squareGrid } from '@descent/dynamics';

describe('images', () => {
  test('CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  test('PNG: valid chunks, CRCs and pixel data round-trip through zlib', () => {
    const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: { lo1: -4, hi1: 4, n1: 40, lo2: -4, hi2: 4, n2: 30 } });
    const img = regionImage(r.status, r.label, 40, 30);
    const png = encodePng(img);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const dv = new DataView(png.buffer, png.byteOffset);
    let off = 8;
    const idat: Uint8Array[] = [];
    const types: string[] = [];
    while (off < png.length) {
      const len = dv.getUint32(off);
      const type = new TextDecoder().decode(png.subarray(off + 4, off + 8));
      types.push(type);
      expect(dv.getUint32(off + 8 + len)).toBe(crc32(png.subarray(off + 4, off + 8 + len)));
      if (type === 'IHDR') {
        expect(dv.getUint32(off + 8)).toBe(40);
        expect(dv.getUint32(off + 12)).toBe(30);
      }
      if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
      off += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(Buffer.concat(idat));
    expect(raw.length).toBe(30 * (1 + 40 * 3));
    for (let j = 0; j < 30; j++) {
      expect(raw[j * 121]).toBe(0);
      expect(Array.from(raw.subarray(j * 121 + 1, (j + 1) * 121))).toEqual(Array.from(img.rgb.subarray(j * 120, (j + 1) * 120)));
    }
  });

  test('region image: top row is the largest β; converged pixels coloured by label', () => {
    const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 16) });
    const img = regionImage(r.status, r.label, 16, 16);
    // Pixel (i, j = 15) is the image's top row.
    const p = 15 * 16 + 3;
    const q = (0 * 16 + 3) * 3;
    const want = r.status[p] === 1 ? (r.label[p] === 1 ? [180, 4, 38] : [59, 76, 192]) : r.status[p] === 2 ? [200, 200, 200] : r.status[p] === 3 ? [0, 0, 0] : [110, 110, 110];
    expect(Array.from(img.rgb.subarray(q, q + 3))).toEqual(want);
    const ppm = encodePpm(img);
    expect(new TextDecoder().decode(ppm.subarray(0, 11))).toBe('P6\n16 16\n25');
    expect(ppm.length).toBe(13 + 16 * 16 * 3);
  });
});
