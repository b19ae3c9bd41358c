import type { Runbook } from '../../../shared/schema/runbook.ts';
import type { Run } from '../../../shared/schema/run.ts';
import type { Tone } from '../../ui/tones.ts';

export const RUNBOOK_STATUS_LABELS: Record<Runbook['status'], string> = { draft: 'Draft', in_review: 'In review', approved: 'Approved', retired: 'Retired' };
export const RUNBOOK_STATUS_TONE: Record<Runbook['status'], Tone> = { draft: 'neutral', in_review: 'info', approved: 'ok', retired: 'warn' };

export const OUTCOME_LABELS: Record<NonNullable<Run['outcome']>, string> = { succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' };
export const OUTCOME_TONE: Record<NonNullable<Run['outcome']>, Tone> = { succeeded: 'ok', failed: 'bad', aborted: 'warn' };
