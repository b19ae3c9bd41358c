import type { Alert } from '../../../shared/schema/alert.ts';

/** The alert as its acknowledgement leaves it: someone is on it. */
export const acknowledged = (alert: Alert, by: string, at: string): Alert => ({ ...alert, status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by });

/** The alert as its resolution leaves it; an acknowledgement it had stays on record. */
export const resolved = (alert: Alert, by: string, at: string): Alert => ({ ...alert, status: 'resolved', resolvedAt: at, resolvedBy: by });

export const linkedToIncident = (alert: Alert, incidentId: string): Alert => ({ ...alert, incidentId });
