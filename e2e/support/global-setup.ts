import { ensureChromium } from './chromium.ts';

/** vitest global setup: the browser tests need a Chromium; install one if this machine has none. */
export default function setup(): void {
  if (process.env['OUTPOST_TEST_STORE'] === 'postgres') return;
  process.env['CHROMIUM_PATH'] = ensureChromium();
}
