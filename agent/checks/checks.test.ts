import { describe, expect, it } from 'vitest';
import { fakeSnapshot } from '../testing/fake-probe.ts';
import { checkAgentHealth } from './agent-health.ts';
import { DEFAULT_THRESHOLDS as T } from './check-result.ts';
import { checkClockSkew } from './clock-skew.ts';
import { checkDiskSpace } from './disk-space.ts';
import { evaluateChecks } from './evaluate.ts';
import { checkMemoryPressure } from './memory-pressure.ts';
import { checkPendingUpdates, trackPendingSince } from './pending-updates.ts';
import { checkAntivirus, checkFirewall } from './protection.ts';
import { stateTransitions, statesOf } from './transitions.ts';

const GB = 1e9;
const DAY = 86_400_000;
const disk = (id: string, freePercent: number, totalBytes = 100 * GB) => ({ id, totalBytes, freeBytes: (totalBytes * freePercent) / 100 });

describe('disk space', () => {
  it('is ok at 15% free and above, warning below 15%, critical below 5%', () => {
    expect(checkDiskSpace([disk('/', 15)], T).state).toBe('ok');
    expect(checkDiskSpace([disk('/', 14.9)], T).state).toBe('warning');
    expect(checkDiskSpace([disk('/', 5)], T).state).toBe('warning');
    expect(checkDiskSpace([disk('/', 4.9)], T).state).toBe('critical');
  });

  it('names the disks that are low, fullest first, with free space and percent', () => {
    const result = checkDiskSpace([disk('/', 50), disk('D:', 12), disk('C:', 3.1)], T);
    expect(result).toEqual({ check: 'disk_space', state: 'critical', message: 'C: has 3.1 GB free (3.1%); D: has 12 GB free (12%)' });
  });

  it('is unknown without disks', () => {
    expect(checkDiskSpace([], T).state).toBe('unknown');
  });

  it('keeps a message for many low disks within the protocol limit', () => {
    const many = Array.from({ length: 64 }, (_, i) => disk(`/mnt/a-rather-long-mount-point-name-${i}`, 1));
    expect(checkDiskSpace(many, T).message.length).toBeLessThanOrEqual(500);
  });
});

describe('memory pressure', () => {
  const withUsed = (usedPercent: number) => fakeSnapshot({ memory: { totalBytes: 100 * GB, availableBytes: (100 - usedPercent) * GB } });
  it('is warning above 90% used and critical above 97%', () => {
    expect(checkMemoryPressure(withUsed(89.9), T).state).toBe('ok');
    expect(checkMemoryPressure(withUsed(90), T).state).toBe('warning');
    expect(checkMemoryPressure(withUsed(97), T).state).toBe('critical');
  });

  it('says how much is left', () => {
    expect(checkMemoryPressure(withUsed(93), T).message).toBe('memory 93% used (7.0 GB of 100 GB available)');
  });

  it('is unknown when memory is not reported', () => {
    const { memory: _memory, ...snapshot } = fakeSnapshot({});
    expect(checkMemoryPressure(snapshot, T).state).toBe('unknown');
  });
});

describe('pending updates', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');
  it('remembers when updates were first seen waiting, and forgets once they are installed', () => {
    const since = trackPendingSince(undefined, 3, now);
    expect(since).toBe(now);
    expect(trackPendingSince(since, 5, now + DAY)).toBe(now);
    expect(trackPendingSince(since, undefined, now + DAY)).toBe(now);
    expect(trackPendingSince(since, 0, now + DAY)).toBeUndefined();
  });

  it('is ok for fresh updates, warning after 7 days, critical after 30', () => {
    expect(checkPendingUpdates(3, now - 6 * DAY, now, T)).toEqual({ check: 'pending_updates', state: 'ok', message: '3 updates pending (seen for 6 d)' });
    expect(checkPendingUpdates(3, now - 7 * DAY, now, T)).toEqual({ check: 'pending_updates', state: 'warning', message: '3 updates pending for 7 d: install them' });
    expect(checkPendingUpdates(1, now - 30 * DAY, now, T)).toEqual({ check: 'pending_updates', state: 'critical', message: '1 update pending for 30 d: install them' });
  });

  it('is ok with none pending and unknown where the OS does not say', () => {
    expect(checkPendingUpdates(0, undefined, now, T).state).toBe('ok');
    expect(checkPendingUpdates(undefined, undefined, now, T).state).toBe('unknown');
  });
});

describe('antivirus and firewall', () => {
  it('treats antivirus off as critical and firewall off as warning', () => {
    expect(checkAntivirus('off')).toEqual({ check: 'antivirus', state: 'critical', message: 'antivirus protection is off: turn it back on' });
    expect(checkFirewall('off')).toEqual({ check: 'firewall', state: 'warning', message: 'firewall is off: turn it back on' });
    expect(checkAntivirus('on').state).toBe('ok');
    expect(checkFirewall('unknown').state).toBe('unknown');
  });
});

describe('clock skew', () => {
  it('warns beyond 2 minutes and is critical beyond 10, either direction', () => {
    expect(checkClockSkew(119_000, T).state).toBe('ok');
    expect(checkClockSkew(-120_000, T)).toEqual({ check: 'clock_skew', state: 'warning', message: 'clock is 2 min behind the server: check the time source (NTP)' });
    expect(checkClockSkew(601_000, T)).toEqual({ check: 'clock_skew', state: 'critical', message: 'clock is 10 min ahead of the server: check the time source (NTP)' });
  });

  it('is unknown until a delivery has measured it', () => {
    expect(checkClockSkew(undefined, T).state).toBe('unknown');
    expect(checkClockSkew(300, T)).toEqual({ check: 'clock_skew', state: 'ok', message: 'clock agrees with the server' });
  });
});

describe('agent health', () => {
  it('warns after an hour without delivering and is critical after a day', () => {
    expect(checkAgentHealth({ outboxDepth: 3, undeliveredForMs: 60_000 }, T)).toEqual({ check: 'agent_health', state: 'ok', message: 'delivering normally (3 records waiting)' });
    expect(checkAgentHealth({ outboxDepth: 61, undeliveredForMs: 3_600_000 }, T)).toEqual({
      check: 'agent_health',
      state: 'warning',
      message: 'nothing delivered for 1 h, 61 records waiting: check the network path to the server',
    });
    expect(checkAgentHealth({ outboxDepth: 30, undeliveredForMs: DAY }, T).state).toBe('critical');
  });

  it('judges a deep outbox even when deliveries succeed', () => {
    expect(checkAgentHealth({ outboxDepth: 1_000, undeliveredForMs: 0 }, T).state).toBe('warning');
    expect(checkAgentHealth({ outboxDepth: 10_000, undeliveredForMs: 0 }, T).state).toBe('critical');
  });
});

describe('transitions', () => {
  const results = evaluateChecks({ nowMs: 0, snapshot: fakeSnapshot({}), pendingUpdatesSinceMs: undefined, clockSkewMs: 0, outboxDepth: 0, undeliveredForMs: 0 }, T);

  it('reports every check the first time', () => {
    expect(stateTransitions({}, results).map((r) => r.check)).toEqual(['disk_space', 'memory_pressure', 'pending_updates', 'antivirus', 'firewall', 'clock_skew', 'agent_health']);
  });

  it('reports nothing while states stay, even when messages change', () => {
    const states = statesOf({}, results);
    const changedMessages = results.map((r) => ({ ...r, message: `${r.message}!` }));
    expect(stateTransitions(states, changedMessages)).toEqual([]);
  });

  it('reports exactly the checks whose state changed', () => {
    const states = statesOf({}, results);
    const next = evaluateChecks({ nowMs: 0, snapshot: fakeSnapshot({ firewall: 'off' }), pendingUpdatesSinceMs: undefined, clockSkewMs: 0, outboxDepth: 0, undeliveredForMs: 0 }, T);
    expect(stateTransitions(states, next)).toEqual([{ check: 'firewall', state: 'warning', message: 'firewall is off: turn it back on' }]);
  });
});
