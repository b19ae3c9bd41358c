import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../shared/schema/incident.ts';
import { alertSummaryOf, fleetHealthOf, overdueReviewsOf, responseStatsOf } from './metrics.ts';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
const MINUTE = 60_000;

function incident(openedHoursAgo: number, fields: Partial<Incident> = {}): Incident {
  return {
    id: '00000000-0000-7000-8000-000000000001', orgId: '00000000-0000-7000-8000-000000000002', updatedAt: hoursAgo(0),
    siteId: '00000000-0000-7000-8000-000000000003', title: 'Outage', summary: '', severity: 'sev2', status: 'triage',
    deviceIds: [], alertIds: [], runIds: [], openedBy: '00000000-0000-7000-8000-000000000004', openedAt: hoursAgo(openedHoursAgo),
    ...fields,
  };
}

describe('fleetHealthOf', () => {
  it('counts health over devices in service and status over all of them', () => {
    const summary = fleetHealthOf([
      { status: 'online', health: 'ok' },
      { status: 'online', health: 'critical' },
      { status: 'stale', health: 'warning' },
      { status: 'retired', health: 'critical' },
    ]);
    expect(summary.health).toEqual({ ok: 1, warning: 1, critical: 1 });
    expect(summary.status).toEqual({ online: 2, offline: 0, stale: 1, retired: 1 });
    expect(summary.inService).toBe(3);
  });
});

describe('alertSummaryOf', () => {
  it('counts unacknowledged alerts by severity and remembers the oldest', () => {
    const summary = alertSummaryOf([
      { status: 'open', severity: 'critical', openedAt: hoursAgo(2) },
      { status: 'open', severity: 'warning', openedAt: hoursAgo(5) },
      { status: 'acknowledged', severity: 'critical', openedAt: hoursAgo(9) },
      { status: 'resolved', severity: 'info', openedAt: hoursAgo(1) },
    ]);
    expect(summary.open).toEqual({ critical: 1, warning: 1, info: 0 });
    expect(summary.openTotal).toBe(2);
    expect(summary.acknowledged).toBe(1);
    expect(summary.oldestOpenAt).toBe(hoursAgo(5));
  });
});

describe('responseStatsOf', () => {
  it('gives median and average over recent incidents that reached each mark', () => {
    const opened = (h: number, ackMinutes?: number, resolveMinutes?: number) =>
      incident(h, {
        ...(ackMinutes === undefined ? {} : { acknowledgedAt: new Date(Date.parse(hoursAgo(h)) + ackMinutes * MINUTE).toISOString() }),
        ...(resolveMinutes === undefined ? {} : { resolvedAt: new Date(Date.parse(hoursAgo(h)) + resolveMinutes * MINUTE).toISOString(), status: 'resolved' }),
      });
    const stats = responseStatsOf([opened(48, 10, 120), opened(30, 20, 60), opened(20, 60), opened(3), opened(24 * 200, 1, 2)], NOW);
    expect(stats.incidentCount).toBe(4);
    expect(stats.toAcknowledge).toEqual({ medianMs: 20 * MINUTE, averageMs: 30 * MINUTE, count: 3 });
    expect(stats.toResolve).toEqual({ medianMs: 90 * MINUTE, averageMs: 90 * MINUTE, count: 2 });
  });

  it('has no figure when no incident reached the mark', () => {
    expect(responseStatsOf([incident(3)], NOW).toResolve).toBeUndefined();
  });
});

describe('overdueReviewsOf', () => {
  it('lists open risks past their review date, longest overdue first', () => {
    const risks = [
      { id: 'a', status: 'open' as const, nextReviewAt: hoursAgo(5) },
      { id: 'b', status: 'mitigating' as const, nextReviewAt: hoursAgo(50) },
      { id: 'c', status: 'closed' as const, nextReviewAt: hoursAgo(80) },
      { id: 'd', status: 'accepted' as const, nextReviewAt: hoursAgo(-5) },
    ];
    expect(overdueReviewsOf(risks, NOW).map((r) => r.id)).toEqual(['b', 'a']);
  });
});
