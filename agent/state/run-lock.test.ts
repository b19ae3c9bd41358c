import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from './run-lock.ts';

describe('run lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second run while the first is alive', () => {
    writeFileSync(join(dir, 'run.lock'), '4242');
    expect(() => acquireRunLock(dir, () => true)).toThrow(/another outpost-agent run \(pid 4242\) is using/);
  });

  it('takes over a lock left by a killed process', () => {
    writeFileSync(join(dir, 'run.lock'), '4242');
    const lock = acquireRunLock(dir, () => false);
    lock.release();
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  });

  it('is free again after release', () => {
    acquireRunLock(dir).release();
    acquireRunLock(dir).release();
  });
});
