import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from '../errors.ts';

export interface RunLock {
  release(): void;
}

/**
 * One `run` per state dir: two would both send the same records, and one could fold
 * heartbeats the other has in flight. A lock left by a killed process names a dead pid and
 * is taken over.
 */
export function acquireRunLock(stateDir: string, isAlive: (pid: number) => boolean = isProcessAlive): RunLock {
  const path = join(stateDir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => releaseIfOurs(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readPid(path);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new AgentError(`another outpost-agent run (pid ${holder}) is using ${stateDir}: stop it first`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new AgentError(`cannot take the lock ${path}: another agent keeps recreating it`);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOurs(path: string): void {
  if (readPid(path) === process.pid) rmSync(path, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
