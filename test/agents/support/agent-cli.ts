import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `outpost-agent` bin as package.json names it, run the way an installed agent runs. */
export const AGENT_BIN = fileURLToPath(new URL('../../../agent/bin/outpost-agent.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `outpost-agent` child; its output is collected as it comes. */
export interface AgentChild {
  readonly process: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (whatever the reason). */
  readonly exited: Promise<AgentExit>;
}

/**
 * Starts and tracks agent processes, so a failing test still leaves none behind:
 * `killAll` (in afterEach) SIGKILLs every child that is still running, by pid.
 */
export class AgentProcesses {
  readonly #running = new Set<AgentChild>();

  start(args: readonly string[]): AgentChild {
    const child = spawn(process.execPath, [AGENT_BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start outpost-agent ${args.join(' ')}`);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<AgentExit>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    const agent: AgentChild = { process: child, pid: child.pid, stdout: () => stdout, stderr: () => stderr, exited };
    this.#running.add(agent);
    void exited.then(() => this.#running.delete(agent));
    return agent;
  }

  /** Runs a command to its end; a command still running after `timeoutMs` is killed and fails the test. */
  async run(args: readonly string[], timeoutMs = 20_000): Promise<AgentExit> {
    const child = this.start(args);
    const timedOut = Symbol('timed out');
    const result = await Promise.race([child.exited, delay(timeoutMs).then(() => timedOut)]);
    if (result === timedOut) {
      await this.kill(child);
      throw new Error(`outpost-agent ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${child.stderr()}`);
    }
    return result as AgentExit;
  }

  /** Sends `signal` to this child (by pid) and waits until it is gone. */
  async kill(child: AgentChild, signal: NodeJS.Signals = 'SIGKILL'): Promise<AgentExit> {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      try {
        process.kill(child.pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    return child.exited;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.#running].map((child) => this.kill(child)));
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await delay(everyMs);
  }
}

/** `status` prints "label:   value" lines; this reads one value. */
export function statusField(output: string, label: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith(`${label}:`));
  return line?.slice(label.length + 1).trim();
}
