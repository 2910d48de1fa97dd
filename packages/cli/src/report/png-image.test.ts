import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ViewErrorCode } from '../views/errors.js';
import { countColours, decodePng, PNG_SIGNATURE, readPngHeader } from './png-image.js';

/** RFC 2083 §6.6, written independently of the decoder's. */
function paethOf(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [best] = [a, b, c]
    .map((v, order) => ({ v, d: Math.abs(p - v), order }))
    .sort((x, y) => x.d - y.d || x.order - y.order);
  return best?.v ?? 0;
}

/** A PNG encoder for the tests only: RGB, 8-bit, one IDAT, every row with the given filter (CRCs left zero). */
function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
  filter: number,
): Buffer {
  const stride = width * 3;
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(stride);
    for (let x = 0; x < width; x++) row.set(pixel(x, y), x * 3);
    const filtered = Buffer.alloc(stride + 1);
    filtered[0] = filter;
    for (let i = 0; i < stride; i++) {
      const left = i >= 3 ? (row[i - 3] as number) : 0;
      const up = previous[i] as number;
      const upLeft = i >= 3 ? (previous[i - 3] as number) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paethOf(left, up, upLeft)][filter] as number;
      filtered[i + 1] = ((row[i] as number) - predictor) & 0xff;
    }
    rows.push(filtered);
    previous = row;
  }
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const gradient = (x: number, y: number): [number, number, number] => [x * 40, y * 50, (x * y * 7) % 256];

describe('decodePng', () => {
  it.each([0, 1, 2, 3, 4])('undoes scanline filter %i', (filter) => {
    const image = decodePng(encodePng(5, 4, gradient, filter));
    expect({ width: image.width, height: image.height, channels: image.channels }).toEqual({
      width: 5,
      height: 4,
      channels: 3,
    });
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 5; x++) {
        expect([...image.pixels.subarray((y * 5 + x) * 3, (y * 5 + x) * 3 + 3)]).toEqual(gradient(x, y));
      }
    }
  });

  it('counts distinct colours: one for a blank image, many for a picture', () => {
    expect(countColours(decodePng(encodePng(8, 8, () => [255, 255, 255], 0)))).toBe(1);
    expect(countColours(decodePng(encodePng(5, 4, gradient, 4)))).toBe(20);
  });

  it('reads the size from IHDR and refuses what is not a PNG', () => {
    expect(readPngHeader(encodePng(7, 3, gradient, 0))).toMatchObject({
      width: 7,
      height: 3,
      bitDepth: 8,
      colourType: 2,
    });
    expect(() => readPngHeader(Buffer.from('GIF89a'))).toThrow(
      expect.objectContaining({ code: ViewErrorCode.PngUnreadable }),
    );
    expect(() => readPngHeader(encodePng(2, 2, gradient, 0).subarray(0, 20))).toThrow(/runs past the end/);
  });
});
