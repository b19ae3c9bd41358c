import { describe, expect, it } from 'vitest';
import { responseTimesOf } from './response-times.ts';

const MINUTE = 60_000;
const OPENED = '2026-01-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * MINUTE).toISOString();

describe('responseTimesOf', () => {
  it('counts both times up to now while the incident is open and unacknowledged', () => {
    expect(responseTimesOf({ openedAt: OPENED }, Date.parse(at(30)))).toEqual({
      toAcknowledge: { milliseconds: 30 * MINUTE, isRunning: true },
      toResolve: { milliseconds: 30 * MINUTE, isRunning: true },
    });
  });

  it('stops each clock at its own timestamp', () => {
    const times = responseTimesOf({ openedAt: OPENED, acknowledgedAt: at(5), resolvedAt: at(90) }, Date.parse(at(500)));
    expect(times.toAcknowledge).toEqual({ milliseconds: 5 * MINUTE, isRunning: false });
    expect(times.toResolve).toEqual({ milliseconds: 90 * MINUTE, isRunning: false });
  });

  it('takes a resolution as acknowledgement, and a closing as resolution, when the earlier step was skipped', () => {
    const times = responseTimesOf({ openedAt: OPENED, closedAt: at(60) }, Date.parse(at(500)));
    expect(times.toAcknowledge).toEqual({ milliseconds: 60 * MINUTE, isRunning: false });
    expect(times.toResolve).toEqual({ milliseconds: 60 * MINUTE, isRunning: false });
  });
});
