import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** What decides where the agent keeps its state; passed in so every OS can be tested anywhere. */
export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  homeDir: string;
}

export function currentPlatformFacts(): PlatformFacts {
  return { platform: process.platform, env: process.env, isRoot: process.getuid?.() === 0, homeDir: homedir() };
}

/**
 * A service (root / SYSTEM) keeps state where the OS keeps daemons' state; a user running the
 * agent by hand gets a directory in their home, so trying it out needs no privileges.
 */
export function defaultStateDir(facts: PlatformFacts): string {
  if (facts.platform === 'win32') {
    return win32.join(facts.env['ProgramData'] ?? facts.env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'Outpost', 'Agent');
  }
  if (facts.platform === 'darwin') {
    return facts.isRoot
      ? '/Library/Application Support/Outpost Agent'
      : posix.join(facts.homeDir, 'Library', 'Application Support', 'Outpost Agent');
  }
  if (facts.isRoot) return '/var/lib/outpost-agent';
  const stateHome = facts.env['XDG_STATE_HOME'];
  return posix.join(stateHome && posix.isAbsolute(stateHome) ? stateHome : posix.join(facts.homeDir, '.local', 'state'), 'outpost-agent');
}
