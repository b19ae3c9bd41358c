import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** `npm run build`, so the PWA figures measure the code as it is, not a stale dist/. */
export async function buildApp(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
