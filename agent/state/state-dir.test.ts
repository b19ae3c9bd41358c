import { describe, expect, it } from 'vitest';
import { defaultStateDir, type PlatformFacts } from './state-dir.ts';

const facts = (overrides: Partial<PlatformFacts>): PlatformFacts => ({ platform: 'linux', env: {}, isRoot: false, homeDir: '/home/ana', ...overrides });

describe('defaultStateDir', () => {
  it('uses /var/lib for a Linux service running as root', () => {
    expect(defaultStateDir(facts({ isRoot: true }))).toBe('/var/lib/outpost-agent');
  });

  it('uses the XDG state directory for a Linux user', () => {
    expect(defaultStateDir(facts({}))).toBe('/home/ana/.local/state/outpost-agent');
    expect(defaultStateDir(facts({ env: { XDG_STATE_HOME: '/srv/state' } }))).toBe('/srv/state/outpost-agent');
  });

  it('ignores a relative XDG_STATE_HOME, as the XDG specification says', () => {
    expect(defaultStateDir(facts({ env: { XDG_STATE_HOME: 'state' } }))).toBe('/home/ana/.local/state/outpost-agent');
  });

  it('uses /Library/Application Support on macOS when root', () => {
    expect(defaultStateDir(facts({ platform: 'darwin', isRoot: true }))).toBe('/Library/Application Support/Outpost Agent');
    expect(defaultStateDir(facts({ platform: 'darwin', homeDir: '/Users/ana' }))).toBe('/Users/ana/Library/Application Support/Outpost Agent');
  });

  it('uses %ProgramData% on Windows', () => {
    expect(defaultStateDir(facts({ platform: 'win32', env: { ProgramData: 'D:\\ProgramData' } }))).toBe('D:\\ProgramData\\Outpost\\Agent');
    expect(defaultStateDir(facts({ platform: 'win32' }))).toBe('C:\\ProgramData\\Outpost\\Agent');
  });
});
