import { describe, expect, it } from 'vitest';
import { ago } from '../../ui/relative-time.ts';
import { authorshipOf, authorshipText } from './conflict-authorship.ts';

const DANA = '01900000-0000-7000-8000-0000000000a1';
const ALEX = '01900000-0000-7000-8000-0000000000a2';
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const text = (parts: ReturnType<typeof authorshipOf>) => authorshipText(parts, (iso) => ago(iso, NOW));

describe('the line that says who wrote a conflicting value', () => {
  it('gives the kept value its writer, the time on their device and the time on the server', () => {
    const kept = { by: DANA, byKind: 'user', byName: 'Dana Kim', at: '2026-03-01T09:00:00.000Z', serverAt: '2026-03-01T10:00:00.000Z' } as const;
    expect(text(authorshipOf(kept, 'kept', ALEX))).toBe('by Dana Kim · 3 h ago on their device · 2 h ago on the server');
    // Times stay times, so the view can show them relative with the exact time on hover.
    expect(authorshipOf(kept, 'kept', ALEX).filter((part) => 'time' in part)).toEqual([{ time: kept.at }, { time: kept.serverAt }]);
  });

  it('says the other value never reached the server, and speaks of "you" to the person who wrote it', () => {
    const other = { by: ALEX, byKind: 'user', byName: 'Alex Roe', at: '2026-03-01T11:30:00.000Z' } as const;
    expect(text(authorshipOf(other, 'other', ALEX))).toBe('by you · 30 min ago on your device, not yet on the server');
    expect(text(authorshipOf(other, 'other', DANA))).toBe('by Alex Roe · 30 min ago on their device, not yet on the server');
  });

  it('names agents, the server and unrecorded or departed writers in words', () => {
    expect(text(authorshipOf({ by: DANA, byKind: 'agent', at: '2026-03-01T10:00:00.000Z', serverAt: '2026-03-01T10:00:00.000Z' }, 'kept', DANA))).toBe(
      'by the device’s agent · 2 h ago on the device · 2 h ago on the server',
    );
    expect(text(authorshipOf({ by: 'system', byKind: 'system', at: '2026-03-01T10:00:00.000Z', serverAt: '2026-03-01T10:00:00.000Z' }, 'kept', DANA))).toBe(
      'by the Outpost server · 2 h ago on the server',
    );
    expect(text(authorshipOf({ by: DANA, byKind: 'user', serverAt: '2026-03-01T10:00:00.000Z' }, 'kept', ALEX))).toBe('by a former member · 2 h ago on the server');
    expect(text(authorshipOf({ at: '2026-03-01T10:00:00.000Z' }, 'other', ALEX))).toBe('writer not recorded · 2 h ago on their device, not yet on the server');
  });

  it('says nothing for records from before writers were recorded', () => {
    expect(authorshipOf(undefined, 'kept', ALEX)).toEqual([]);
  });
});
