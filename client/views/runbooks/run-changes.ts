import type { Run, StepResult } from '../../../shared/schema/run.ts';

/** The run with one more step result: results are only ever appended (a later one supersedes). */
export const withStepResult = (run: Run, result: StepResult): Run => ({ ...run, stepResults: [...run.stepResults, result] });

/** The run finished with an outcome; a finished run is read-only. */
export const finished = (run: Run, outcome: NonNullable<Run['outcome']>, at: string): Run => ({ ...run, outcome, finishedAt: run.finishedAt ?? at });
