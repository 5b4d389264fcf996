// Draws the app and tray icons (a white lightning bolt in a teal rounded square) as PNGs with no
// dependencies: 4×4 supersampled coverage, written with node:zlib. Run: node assets/generate-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const here = path.dirname(new URL(import.meta.url).pathname.replace(/^\/([A-Za-z]:)/, '$1'));
const TEAL_TOP = [20, 163, 150];
const TEAL_BOTTOM = [11, 110, 110];
const BOLT = [255, 255, 255];
const AMBER = [255, 196, 61];

// Bolt outline in unit coordinates of the square (x right, y down).
const bolt = [
  [0.5, 0.1],
  [0.68, 0.1],
  [0.56, 0.4],
  [0.75, 0.4],
  [0.4, 0.91],
  [0.47, 0.55],
  [0.27, 0.55],
];

function inPolygon(x, y, pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inRoundedSquare(x, y, r) {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return x >= 0 && x <= 1 && y >= 0 && y <= 1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** size: pixels; margin: fraction of the canvas left transparent around the square. */
function render(size, margin, { accent = true } = {}) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4;
  const inner = 1 - 2 * margin;
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let cover = 0;
      let boltCover = 0;
      let accentCover = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = ((pxl + (sx + 0.5) / S) / size - margin) / inner;
          const v = ((py + (sy + 0.5) / S) / size - margin) / inner;
          if (!inRoundedSquare(u, v, 0.22)) continue;
          cover++;
          if (inPolygon(u, v, bolt)) boltCover++;
          // A meter-dial arc (a gauge) behind the bolt on the larger sizes.
          else if (accent && v < 0.6 && Math.abs(Math.hypot(u - 0.5, v - 0.6) - 0.36) < 0.028) accentCover++;
        }
      }
      const i = (py * size + pxl) * 4;
      if (cover === 0) continue;
      const t = py / size;
      const bg = TEAL_TOP.map((c, k) => c + (TEAL_BOTTOM[k] - c) * t);
      const fb = boltCover / cover;
      const fa = accentCover / cover;
      for (let k = 0; k < 3; k++) px[i + k] = Math.round(bg[k] * (1 - fb - fa) + BOLT[k] * fb + AMBER[k] * fa);
      px[i + 3] = Math.round((255 * cover) / (S * S));
    }
  }
  return encodePng(size, size, px);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(w, h, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = (name, buf) => {
  fs.mkdirSync(path.dirname(path.join(here, name)), { recursive: true });
  fs.writeFileSync(path.join(here, name), buf);
  console.log(`wrote assets/${name} (${buf.length} bytes)`);
};

// App icon: 1024 px with the ~10% padding macOS icons use; Linux gets a size set in icons/.
out('icon.png', render(1024, 0.1));
for (const s of [16, 32, 48, 64, 128, 256, 512, 1024])
  out(`icons/${s}x${s}.png`, render(s, s <= 32 ? 0.03 : 0.1, { accent: s >= 64 }));
// Tray: edge to edge, no dial (too small to read); @2x is picked up by Electron on HiDPI screens.
out('tray.png', render(16, 0, { accent: false }));
out('tray@2x.png', render(32, 0, { accent: false }));
