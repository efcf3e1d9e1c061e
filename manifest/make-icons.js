#!/usr/bin/env node
/**
 * Draws the two Teams app icons and writes them as PNG files beside this script:
 *   color.png   192×192  white symbol on a teal → deep-blue rounded square
 *   outline.png  32×32   the same symbol in white on a transparent background
 *
 * The symbol: a white arrow pointing up between two shorter bars — the teams gathering their
 * strength ("kraftsamla") and lifting the programme together.
 *
 * No image library: shapes are tested point by point with 8×8 supersampling for smooth edges,
 * and the PNG chunks are written by hand with node's zlib. Run: node manifest/make-icons.js
 */
'use strict';
/* global require, __dirname, Buffer, console, process -- a CommonJS script run by node */

/* eslint-disable @typescript-eslint/no-require-imports -- plain JS run by node directly, no build step, so CommonJS require */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
/* eslint-enable @typescript-eslint/no-require-imports */

// ---------------------------------------------------------------------------------------------
// Geometry. The symbol lives in a unit box (0..1 on both axes, y pointing down).

/** A convex polygon as a list of [x, y] corners in clockwise or counter-clockwise order. */
function insideConvex(poly, x, y) {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    if (cross !== 0) {
      const s = cross > 0 ? 1 : -1;
      if (sign === 0) sign = s;
      else if (s !== sign) return false;
    }
  }
  return true;
}

/** Rectangle [x0, y0, x1, y1] with corner radius r (same units). */
function insideRoundedRect(x0, y0, x1, y1, r, x, y) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  const dx = x - cx;
  const dy = y - cy;
  return dx * dx + dy * dy <= r * r;
}

const ARROW_HEAD = [
  [0.5, 0.0],
  [0.94, 0.44],
  [0.06, 0.44],
];

/** True when the unit-box point (u, v) is part of the white symbol. */
function insideSymbol(u, v) {
  if (insideConvex(ARROW_HEAD, u, v)) return true;
  if (insideRoundedRect(0.36, 0.4, 0.64, 1.0, 0.04, u, v)) return true; // arrow shaft
  if (insideRoundedRect(0.0, 0.62, 0.24, 1.0, 0.06, u, v)) return true; // left bar
  if (insideRoundedRect(0.76, 0.62, 1.0, 1.0, 0.06, u, v)) return true; // right bar
  return false;
}

// ---------------------------------------------------------------------------------------------
// Rendering

const SAMPLES = 8; // per axis, so 64 samples per pixel

/**
 * Renders an RGBA image. `shade(x, y)` gets pixel-space sample coordinates and returns
 * [r, g, b, a] (0..255, straight alpha) or null for fully transparent.
 */
function render(size, shade) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Accumulate premultiplied colour so edges blend correctly.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (!c) continue;
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const n = SAMPLES * SAMPLES;
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((a / n) * 255);
    }
  }
  return rgba;
}

const TEAL = [0x0f, 0x8b, 0x8d];
const DEEP_BLUE = [0x1b, 0x3a, 0x7a];
const WHITE = [255, 255, 255, 255];

function mix(c1, c2, t) {
  return [0, 1, 2].map((i) => Math.round(c1[i] + (c2[i] - c1[i]) * t));
}

function colorIcon() {
  const size = 192;
  const radius = 36;
  // The symbol fills the central 104 px, inside the 120 px safe area Teams keeps when cropping.
  const box = { x: 44, y: 42, w: 104, h: 106 };
  return render(size, (x, y) => {
    if (!insideRoundedRect(0, 0, size, size, radius, x, y)) return null;
    const u = (x - box.x) / box.w;
    const v = (y - box.y) / box.h;
    if (insideSymbol(u, v)) return WHITE;
    const t = Math.min(1, Math.max(0, (x * 0.45 + y * 0.55) / size));
    return [...mix(TEAL, DEEP_BLUE, t), 255];
  });
}

function outlineIcon() {
  const size = 32;
  const box = { x: 3, y: 2, w: 26, h: 28 };
  return render(size, (x, y) => {
    const u = (x - box.x) / box.w;
    const v = (y - box.y) / box.h;
    return insideSymbol(u, v) ? WHITE : null;
  });
}

// ---------------------------------------------------------------------------------------------
// PNG encoding (RGBA, 8 bits per channel, no interlace, filter 0 on every row)

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); // width
  ihdr.writeUInt32BE(size, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // interlace: none
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function main() {
  const outDir = __dirname;
  const files = [
    ['color.png', 192, colorIcon()],
    ['outline.png', 32, outlineIcon()],
  ];
  for (const [name, size, rgba] of files) {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, encodePng(size, rgba));
    console.log(`wrote ${path.relative(process.cwd(), file)} (${size}×${size})`);
  }
}

main();
