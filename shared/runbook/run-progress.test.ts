import { describe, expect, it } from 'vitest';
import type { StepResult } from '../schema/run.ts';
import { runProgress, suggestedOutcome } from './run-progress.ts';

const steps = [
  { id: '00000000-0000-7000-8000-000000000001', instruction: 'Check the cable' },
  { id: '00000000-0000-7000-8000-000000000002', instruction: 'Power-cycle' },
  { id: '00000000-0000-7000-8000-000000000003', instruction: 'Print a test page' },
];
const BY = '00000000-0000-7000-8000-0000000000aa';
const result = (id: string, stepIndex: number, outcome: StepResult['result'], at: string): StepResult => ({
  id, stepId: steps[stepIndex]!.id, result: outcome, by: BY, at,
});

describe('runProgress', () => {
  it('lets the latest result of a step supersede the earlier ones without dropping them', () => {
    const progress = runProgress(steps, [
      result('00000000-0000-7000-8000-000000000102', 0, 'done', '2026-01-01T10:05:00.000Z'),
      result('00000000-0000-7000-8000-000000000101', 0, 'failed', '2026-01-01T10:00:00.000Z'),
    ]);
    expect(progress.steps[0]?.current?.result).toBe('done');
    expect(progress.steps[0]?.earlier.map((r) => r.result)).toEqual(['failed']);
    expect(progress).toMatchObject({ done: 1, failed: 0, skipped: 0, remaining: 2, nextStepId: steps[1]!.id });
  });

  it('orders results of the same millisecond by their time-ordered ids', () => {
    const at = '2026-01-01T10:00:00.000Z';
    const progress = runProgress(steps, [
      result('00000000-0000-7000-8000-000000000202', 1, 'skipped', at),
      result('00000000-0000-7000-8000-000000000201', 1, 'done', at),
    ]);
    expect(progress.steps[1]?.current?.result).toBe('skipped');
    expect(progress.nextStepId).toBe(steps[0]!.id);
  });

  it('ignores results of steps the version does not have', () => {
    const stray: StepResult = { ...result('00000000-0000-7000-8000-000000000301', 0, 'done', '2026-01-01T10:00:00.000Z'), stepId: '00000000-0000-7000-8000-00000000ffff' };
    expect(runProgress(steps, [stray])).toMatchObject({ done: 0, remaining: 3 });
  });
});

describe('suggestedOutcome', () => {
  it('fails a run with a failed step, aborts an unfinished one, else succeeds', () => {
    const all = (outcome: StepResult['result']) => steps.map((_, i) => result(`00000000-0000-7000-8000-00000000040${i}`, i, outcome, '2026-01-01T10:00:00.000Z'));
    expect(suggestedOutcome(runProgress(steps, all('done')))).toBe('succeeded');
    expect(suggestedOutcome(runProgress(steps, all('done').slice(0, 2)))).toBe('aborted');
    expect(suggestedOutcome(runProgress(steps, [...all('done').slice(0, 2), result('00000000-0000-7000-8000-000000000499', 2, 'failed', '2026-01-01T10:01:00.000Z')]))).toBe('failed');
  });
});
