/**
 * A minimal PNG reader, enough to check a screenshot: signature, IHDR (size, format), and the pixels of 8-bit
 * non-interlaced images (what Chromium writes), to count distinct colours — a blank page has one or two.
 * Hand-written on node:zlib because no PNG decoder is among the project's dependencies and this needs ~100 lines:
 * chunk framing (RFC 2083 §3), IDAT inflate, and the five scanline filters (§6).
 */
import { inflateSync } from 'node:zlib';
import { ViewError, ViewErrorCode } from '../views/errors.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  readonly colourType: number;
  readonly interlace: number;
}

export interface PngImage extends PngHeader {
  /** Bytes per pixel of the decoded rows. */
  readonly channels: number;
  /** Unfiltered scanlines, `height × width × channels` bytes. */
  readonly pixels: Buffer;
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function unreadable(detail: string): ViewError {
  return new ViewError(ViewErrorCode.PngUnreadable, `PNG: ${detail}`);
}

function chunks(data: Buffer): { type: string; body: Buffer }[] {
  if (data.length < 8 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) throw unreadable('no PNG signature');
  const found: { type: string; body: Buffer }[] = [];
  for (let at = 8; at < data.length; ) {
    if (at + 8 > data.length) throw unreadable(`truncated chunk header at byte ${at}`);
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > data.length) throw unreadable(`chunk ${type} at byte ${at} runs past the end`);
    found.push({ type, body: data.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return found;
}

export function readPngHeader(data: Buffer): PngHeader {
  const ihdr = chunks(data)[0];
  if (ihdr?.type !== 'IHDR' || ihdr.body.length !== 13) throw unreadable('first chunk is not a 13-byte IHDR');
  return {
    width: ihdr.body.readUInt32BE(0),
    height: ihdr.body.readUInt32BE(4),
    bitDepth: ihdr.body[8] as number,
    colourType: ihdr.body[9] as number,
    interlace: ihdr.body[12] as number,
  };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(data: Buffer): PngImage {
  const header = readPngHeader(data);
  const channels = CHANNELS[header.colourType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw unreadable(
      `only 8-bit non-interlaced grey/RGB/RGBA is read, got depth ${header.bitDepth} colour type ${header.colourType} interlace ${header.interlace}`,
    );
  }
  const compressed = Buffer.concat(
    chunks(data)
      .filter((c) => c.type === 'IDAT')
      .map((c) => c.body),
  );
  const raw = inflateSync(compressed);
  const stride = header.width * channels;
  if (raw.length < header.height * (stride + 1)) throw unreadable('image data shorter than width × height');
  const pixels = Buffer.alloc(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? (pixels[row + i - channels] as number) : 0;
      const up = y > 0 ? (pixels[row - stride + i] as number) : 0;
      const upLeft = y > 0 && i >= channels ? (pixels[row - stride + i - channels] as number) : 0;
      const predictor =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : filter === 4
                  ? paeth(left, up, upLeft)
                  : -1;
      if (predictor < 0) throw unreadable(`unknown filter ${filter} on row ${y}`);
      pixels[row + i] = ((source[i] as number) + predictor) & 0xff;
    }
  }
  return { ...header, channels, pixels };
}

/** How many different pixel values the image holds (stops counting at `limit`). */
export function countColours(image: PngImage, limit = 100_000): number {
  const seen = new Set<string>();
  for (let at = 0; at < image.pixels.length && seen.size < limit; at += image.channels) {
    seen.add(image.pixels.subarray(at, at + image.channels).toString('hex'));
  }
  return seen.size;
}
