import type { RunbookStep } from '../schema/runbook.ts';
import type { StepResult } from '../schema/run.ts';

export interface StepState {
  step: RunbookStep;
  /** The result that stands: the latest recorded for the step. */
  current: StepResult | undefined;
  /** Results it superseded, oldest first: kept, never erased. */
  earlier: StepResult[];
}

export interface RunProgress {
  steps: StepState[];
  done: number;
  skipped: number;
  failed: number;
  /** Steps with no result yet. */
  remaining: number;
  /** The first step without a result: where the person left off. */
  nextStepId: string | undefined;
}

/**
 * Where a run stands. Results are append-only; the latest per step (by time, then by id, which
 * is a UUIDv7 and so orders results recorded in the same millisecond) supersedes the others.
 */
export function runProgress(steps: readonly RunbookStep[], results: readonly StepResult[]): RunProgress {
  const ordered = [...results].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const byStep = new Map<string, StepResult[]>();
  for (const result of ordered) byStep.set(result.stepId, [...(byStep.get(result.stepId) ?? []), result]);
  const states = steps.map((step): StepState => {
    const history = byStep.get(step.id) ?? [];
    return { step, current: history.at(-1), earlier: history.slice(0, -1) };
  });
  const count = (result: StepResult['result']) => states.filter((s) => s.current?.result === result).length;
  return {
    steps: states,
    done: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
    remaining: states.filter((s) => s.current === undefined).length,
    nextStepId: states.find((s) => s.current === undefined)?.step.id,
  };
}

/** The outcome the checklist suggests: a failed step fails the run, an unfinished one was aborted. */
export function suggestedOutcome(progress: RunProgress): 'succeeded' | 'failed' | 'aborted' {
  if (progress.failed > 0) return 'failed';
  return progress.remaining > 0 ? 'aborted' : 'succeeded';
}
