import { describe, expect, it } from 'vitest';
import { UFW_CONFIG_FILE, UPDATE_NOTIFIER_FILE, parseUfwConfig, parseUpdateNotifier, readOsSignals } from './os-signals.ts';

const files = (contents: Record<string, string>) => async (path: string) => {
  const text = contents[path];
  if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return text;
};

describe('OS signals read from files', () => {
  it('parses the counts update-notifier writes, old and new wording', () => {
    expect(parseUpdateNotifier('\n12 updates can be applied immediately.\n5 of these updates are standard security updates.\n')).toBe(12);
    expect(parseUpdateNotifier('3 packages can be updated.\n0 updates are security updates.\n')).toBe(3);
    expect(parseUpdateNotifier('')).toBe(0);
    expect(parseUpdateNotifier('something else entirely')).toBeUndefined();
  });

  it("reads ufw's enabled flag", () => {
    expect(parseUfwConfig('# comment\nENABLED=yes\nLOGLEVEL=low\n')).toBe('on');
    expect(parseUfwConfig('ENABLED=no\n')).toBe('off');
    expect(parseUfwConfig('LOGLEVEL=low\n')).toBe('unknown');
  });

  it('says unknown where the files are absent', async () => {
    expect(await readOsSignals('linux', files({}))).toEqual({ antivirus: 'unknown', firewall: 'unknown' });
  });

  it('reports what a Debian-like system exposes', async () => {
    const signals = await readOsSignals('linux', files({ [UPDATE_NOTIFIER_FILE]: '4 updates can be applied immediately.\n', [UFW_CONFIG_FILE]: 'ENABLED=no\n' }));
    expect(signals).toEqual({ pendingUpdates: 4, antivirus: 'unknown', firewall: 'off' });
  });

  it('reads nothing on Windows and macOS rather than shelling out', async () => {
    const readText = async (): Promise<string> => {
      throw new Error('must not read');
    };
    expect(await readOsSignals('win32', readText)).toEqual({ antivirus: 'unknown', firewall: 'unknown' });
    expect(await readOsSignals('darwin', readText)).toEqual({ antivirus: 'unknown', firewall: 'unknown' });
  });
});
