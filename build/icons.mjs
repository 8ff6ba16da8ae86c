// Draws the app and tray icons as PNGs (no image tools needed): `node build/icons.mjs`.
// The results are committed; run this again only to change the drawing.
//
// A vault door: a rounded square with hinges, an inner edge and a dial (a ring, a hub and three
// spokes); the tray icons keep only the body and the dial, which is all 16 px can show. The app icon is
// white on blue; the tray icons are the same shape in black with the dial cut out (macOS
// "Template" images: only their alpha counts, the menu bar colours them).
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** An RGBA PNG (8 bits per channel, no interlace, filter 0 on every row). */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const inRoundedSquare = (x, y, inset, radius) => {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius;
};
/** Whether (x, y), in 0..1, is on the dial. */
const onDial = (x, y, scale) => {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  if (r >= 0.2 * scale && r <= 0.27 * scale) return true;
  if (r <= 0.07 * scale) return true;
  if (r > 0.2 * scale) return false;
  // Three spokes, 120° apart, from the hub to the ring.
  const width = 0.028 * scale;
  return [Math.PI / 2, Math.PI / 2 + (2 * Math.PI) / 3, Math.PI / 2 + (4 * Math.PI) / 3].some(
    (angle) => Math.abs(dx * Math.sin(angle) - dy * Math.cos(angle)) <= width && dx * Math.cos(angle) + dy * Math.sin(angle) >= 0,
  );
};

/** Rasterises with 4×4 supersampling; `paint(x, y)` answers [r, g, b, a] or null for nothing. */
function draw(size, paint) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (colour === null) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) out.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((a / (n * n)) * 255)], i);
    }
  }
  return out;
}

const blue = [47, 111, 222, 255];
const white = [255, 255, 255, 255];
const black = [0, 0, 0, 255];

/** The door's two hinges, on its left edge. */
const onHinge = (x, y) => x >= 0.1 && x <= 0.17 && ((y >= 0.26 && y <= 0.36) || (y >= 0.64 && y <= 0.74));
/** The door's inner edge: a thin rounded outline inside the body. */
const onDoorEdge = (x, y) => inRoundedSquare(x, y, 0.2, 0.1) && !inRoundedSquare(x, y, 0.225, 0.08);

const appIcon = (x, y) => {
  if (!inRoundedSquare(x, y, 0.08, 0.18)) return null;
  return onDial(x, y, 0.82) || onHinge(x, y) || onDoorEdge(x, y) ? white : blue;
};
// At 16 px the dial is drawn larger, or it closes up.
const trayIcon = (x, y) => (inRoundedSquare(x, y, 0.06, 0.2) && !onDial(x, y, 1.35) ? black : null);
const trayColour = (x, y) => {
  if (!inRoundedSquare(x, y, 0.06, 0.2)) return null;
  return onDial(x, y, 1.35) ? white : blue;
};

const outputs = [
  ['icon.png', 512, appIcon],
  ['tray/trayTemplate.png', 16, trayIcon],
  ['tray/trayTemplate@2x.png', 32, trayIcon],
  ['tray/tray.png', 16, trayColour],
  ['tray/tray@2x.png', 32, trayColour],
];
for (const [name, size, paint] of outputs) {
  const path = join(here, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png(size, draw(size, paint)));
  console.log(`${name} ${size}×${size}`);
}
