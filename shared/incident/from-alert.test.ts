import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Incident } from '../schema/incident.ts';
import type { Alert } from '../schema/alert.ts';
import { incidentFromAlert } from './from-alert.ts';

const alert: Alert = {
  id: '00000000-0000-7000-8000-000000000001',
  orgId: '00000000-0000-7000-8000-000000000002',
  siteId: '00000000-0000-7000-8000-000000000003',
  deviceId: '00000000-0000-7000-8000-000000000004',
  rule: 'disk.free',
  severity: 'critical',
  message: 'nw-hq-srv-01: Disk /data 1.0% free',
  status: 'open',
  openedAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
};
const opening = { id: '00000000-0000-7000-8000-000000000010', openedBy: '00000000-0000-7000-8000-000000000011', openedAt: '2026-01-01T10:05:00.000Z' };

describe('incidentFromAlert', () => {
  it('opens a valid incident in triage at the alert site, about its device, linked to it', () => {
    const incident = incidentFromAlert(alert, opening);
    expect(v.safeParse(Incident, { ...incident, updatedAt: opening.openedAt }).success).toBe(true);
    expect(incident).toMatchObject({ siteId: alert.siteId, title: alert.message, severity: 'sev2', status: 'triage', deviceIds: [alert.deviceId], alertIds: [alert.id] });
  });

  it('maps warning to sev3 and info to sev4, never to sev1', () => {
    expect(incidentFromAlert({ ...alert, severity: 'warning' }, opening).severity).toBe('sev3');
    expect(incidentFromAlert({ ...alert, severity: 'info' }, opening).severity).toBe('sev4');
  });

  it('cuts a long message to a title that fits', () => {
    const incident = incidentFromAlert({ ...alert, message: 'x'.repeat(900) }, opening);
    expect(incident.title).toHaveLength(200);
    expect(v.safeParse(Incident, { ...incident, updatedAt: opening.openedAt }).success).toBe(true);
  });
});
