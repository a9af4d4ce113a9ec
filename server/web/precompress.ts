/**
 * Precompression of the built web app, run once at the end of `vite build`
 * (vite.config.ts): every text asset of at least MIN_BYTES gets a `.br`
 * (brotli, best quality) and a `.gz` (gzip, level 9) beside it, and static.ts
 * serves the one the browser accepts. Compressing at build time costs a second
 * once per build instead of CPU on every request, and needs no dependency
 * (Node's zlib). A variant that is not smaller than the file is not written.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Below about one TCP packet, compression saves no round trip and costs a header. */
export const MIN_BYTES = 1024;
/** Text formats only: images and fonts in the build are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.wasm', '.map']);

export type Encoding = 'br' | 'gzip';
/** The file suffix of each encoding's variant. */
export const VARIANT_SUFFIX: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };

function compress(bytes: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      })
    : gzipSync(bytes, { level: 9 });
}

/** Writes the variants for every compressible file under `dir`; returns how many it wrote. */
export function precompressDir(dir: string): number {
  let written = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      written += precompressDir(path);
      continue;
    }
    if (!entry.isFile() || !COMPRESSIBLE.has(extname(entry.name)) || statSync(path).size < MIN_BYTES) continue;
    const bytes = readFileSync(path);
    for (const encoding of Object.keys(VARIANT_SUFFIX) as Encoding[]) {
      const packed = compress(bytes, encoding);
      if (packed.length >= bytes.length) continue;
      writeFileSync(path + VARIANT_SUFFIX[encoding], packed);
      written += 1;
    }
  }
  return written;
}
