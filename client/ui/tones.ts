import type { Alert } from '../../shared/schema/alert.ts';
import type { Incident } from '../../shared/schema/incident.ts';

/** The colour families of badges and list stripes (styles.css, ui/lists.css). */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export const ALERT_SEVERITY_TONE: Record<Alert['severity'], Tone> = { critical: 'bad', warning: 'warn', info: 'info' };

export const INCIDENT_SEVERITY_TONE: Record<Incident['severity'], Tone> = { sev1: 'bad', sev2: 'bad', sev3: 'warn', sev4: 'info' };

export const INCIDENT_SEVERITY_LABELS: Record<Incident['severity'], string> = {
  sev1: 'SEV1 · major outage',
  sev2: 'SEV2 · serious',
  sev3: 'SEV3 · limited',
  sev4: 'SEV4 · minor',
};
