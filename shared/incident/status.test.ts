import { describe, expect, it } from 'vitest';
import type { Incident } from '../schema/incident.ts';
import { withAcknowledgement, withStatus } from './status.ts';

const incident: Incident = {
  id: '00000000-0000-7000-8000-000000000001',
  orgId: '00000000-0000-7000-8000-000000000002',
  siteId: '00000000-0000-7000-8000-000000000003',
  title: 'Printer down',
  summary: '',
  severity: 'sev3',
  status: 'triage',
  deviceIds: [],
  alertIds: [],
  runIds: [],
  openedBy: '00000000-0000-7000-8000-000000000004',
  openedAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
};
const T1 = '2026-01-01T11:00:00.000Z';
const T2 = '2026-01-01T12:00:00.000Z';

describe('withStatus', () => {
  it('acknowledges an incident that leaves triage', () => {
    expect(withStatus(incident, 'contained', T1)).toMatchObject({ status: 'contained', acknowledgedAt: T1 });
  });

  it('keeps the first acknowledgement and resolution when moving on', () => {
    const resolved = withStatus(withAcknowledgement(incident, T1), 'resolved', T2);
    expect(resolved).toMatchObject({ acknowledgedAt: T1, resolvedAt: T2 });
    expect(withStatus(resolved, 'closed', '2026-01-02T00:00:00.000Z')).toMatchObject({ resolvedAt: T2, closedAt: '2026-01-02T00:00:00.000Z' });
  });

  it('closes straight from triage with every clock stopped', () => {
    expect(withStatus(incident, 'closed', T1)).toMatchObject({ acknowledgedAt: T1, resolvedAt: T1, closedAt: T1 });
  });

  it('clears the resolution and closing of a reopened incident, and keeps its acknowledgement', () => {
    const reopened = withStatus(withStatus(incident, 'closed', T1), 'triage', T2);
    expect(reopened.status).toBe('triage');
    expect(reopened.acknowledgedAt).toBe(T1);
    expect('resolvedAt' in reopened || 'closedAt' in reopened).toBe(false);
  });
});
