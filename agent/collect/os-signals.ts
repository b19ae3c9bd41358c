import { readFile } from 'node:fs/promises';
import type { ProtectionState } from './snapshot.ts';

export interface OsSignals {
  pendingUpdates?: number;
  antivirus: ProtectionState;
  firewall: ProtectionState;
}

export type ReadTextFile = (path: string) => Promise<string>;

/**
 * Pending updates, antivirus and firewall state, read only from files the OS keeps (no
 * commands run: a probe that shells out is a probe someone can trick). What a platform does
 * not expose that way is 'unknown':
 * - Debian/Ubuntu: update-notifier's count of pending updates; ufw's enabled flag.
 * - Windows and macOS keep these behind WMI/Security Center and binary plists; until there is
 *   a reader that needs no shell, they are 'unknown'.
 */
export async function readOsSignals(platform: NodeJS.Platform, readText: ReadTextFile = (path) => readFile(path, 'utf8')): Promise<OsSignals> {
  if (platform !== 'linux') return { antivirus: 'unknown', firewall: 'unknown' };
  const [updates, ufw] = await Promise.all([readOptional(readText, UPDATE_NOTIFIER_FILE), readOptional(readText, UFW_CONFIG_FILE)]);
  const pendingUpdates = updates === undefined ? undefined : parseUpdateNotifier(updates);
  return {
    ...(pendingUpdates === undefined ? {} : { pendingUpdates }),
    antivirus: 'unknown',
    firewall: ufw === undefined ? 'unknown' : parseUfwConfig(ufw),
  };
}

export const UPDATE_NOTIFIER_FILE = '/var/lib/update-notifier/updates-available';
export const UFW_CONFIG_FILE = '/etc/ufw/ufw.conf';

/** "12 updates can be applied immediately." (current) or "12 packages can be updated." (older). */
export function parseUpdateNotifier(text: string): number | undefined {
  if (text.trim() === '') return 0;
  const match = /(\d+) (?:updates?|packages?) can be (?:applied|updated|installed)/.exec(text);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 10);
}

export function parseUfwConfig(text: string): ProtectionState {
  const match = /^\s*ENABLED\s*=\s*"?(yes|no)"?\s*$/im.exec(text);
  if (!match?.[1]) return 'unknown';
  return match[1].toLowerCase() === 'yes' ? 'on' : 'off';
}

async function readOptional(readText: ReadTextFile, path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch {
    return undefined;
  }
}
