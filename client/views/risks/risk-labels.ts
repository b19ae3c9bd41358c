import type { Risk } from '../../../shared/schema/risk.ts';

export const STATUS_LABELS: Record<Risk['status'], string> = { open: 'Open', mitigating: 'Mitigating', accepted: 'Accepted', closed: 'Closed' };
export const TREATMENT_LABELS: Record<Risk['treatment'], string> = { mitigate: 'Mitigate', accept: 'Accept', transfer: 'Transfer', avoid: 'Avoid' };
export const CATEGORY_LABELS: Record<Risk['category'], string> = {
  security: 'Security', availability: 'Availability', compliance: 'Compliance', hardware: 'Hardware',
  vendor: 'Vendor', people: 'People', physical: 'Physical', data: 'Data',
};

/** Badge tone of a status: open risks want attention, closed ones are done. */
export const STATUS_TONES: Record<Risk['status'], string> = { open: 'bad', mitigating: 'warn', accepted: '', closed: 'ok' };
