/** `nativeImage`: enough of it for tray icons and capture thumbnails, with real PNG output. */
import { deflateSync } from 'node:zlib';
import { guard, guardExport } from './runtime';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** BGRA pixels (Electron's bitmap order) → PNG. */
export function pngFromBgra(bgra: Buffer, width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4);
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      row[1 + x * 4] = bgra[at + 2]!;
      row[2 + x * 4] = bgra[at + 1]!;
      row[3 + x * 4] = bgra[at]!;
      row[4 + x * 4] = bgra[at + 3]!;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export class StandInNativeImage {
  constructor(
    readonly bgra: Buffer,
    readonly width: number,
    readonly height: number,
  ) {}
  isEmpty() {
    return this.width === 0 || this.height === 0;
  }
  getSize() {
    return { width: this.width, height: this.height };
  }
  toPNG() {
    return this.isEmpty() ? Buffer.alloc(0) : pngFromBgra(this.bgra, this.width, this.height);
  }
  toDataURL() {
    return `data:image/png;base64,${this.toPNG().toString('base64')}`;
  }
  toBitmap() {
    return Buffer.from(this.bgra);
  }
}

export const image = (bgra: Buffer, width: number, height: number) => guard(new StandInNativeImage(bgra, width, height), 'NativeImage', 'nativeImage');

/** A solid-colour image (BGRA), e.g. a capture thumbnail. */
export function solidImage(width: number, height: number, [r, g, b]: [number, number, number]): ReturnType<typeof image> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels.set([b, g, r, 0xff], i * 4);
  return image(pixels, width, height);
}

export const nativeImage = guardExport('nativeImage', {
    createEmpty: () => image(Buffer.alloc(0), 0, 0),
    createFromBitmap: (buffer: Buffer, options: { width: number; height: number }) => {
      if (buffer.length !== options.width * options.height * 4) throw new Error('nativeImage.createFromBitmap: buffer size does not match width × height × 4');
      return image(Buffer.from(buffer), options.width, options.height);
    },
});
