import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles the bench page (not part of the app build) into a fresh temporary directory, with
 * relative asset paths so both servers can serve it from any path.
 */
export async function buildBenchPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'outpost-bench-page-'));
  await build({
    configFile: false,
    root: here,
    base: './',
    logLevel: 'warn',
    resolve: { alias: { events: join(here, 'events-shim.ts') } },
    // Readable names in Chromium profiles of the bench; minifying changes nothing measurable here.
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
  });
  return outDir;
}
