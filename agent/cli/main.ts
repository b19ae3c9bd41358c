import { systemClock } from '../clock.ts';
import { AgentError } from '../errors.ts';
import { currentPlatformFacts, defaultStateDir } from '../state/state-dir.ts';
import { AGENT_VERSION } from '../version.ts';
import { parseCommand } from './args.ts';
import { enrollCommand } from './enroll-command.ts';
import { runCommand, type RunDeps } from './run-command.ts';
import { statusCommand } from './status-command.ts';
import { usage } from './usage.ts';

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
  defaultStateDir?: () => string;
  /** Test seams for `run` and `enroll`: a fake machine, clock, network or stop signal. */
  run?: Omit<RunDeps, 'out'>;
  fetch?: typeof fetch;
}

/** Runs one command and returns its exit code; an AgentError becomes one line on stderr. */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  const stateDir = io.defaultStateDir ?? (() => defaultStateDir(currentPlatformFacts()));
  const clock = io.run?.clock ?? systemClock;
  const now = () => clock.now();
  try {
    const command = parseCommand(argv, stateDir);
    switch (command.name) {
      case 'help':
        io.out(usage(stateDir()).trimEnd());
        return 0;
      case 'version':
        io.out(AGENT_VERSION);
        return 0;
      case 'enroll':
        return await enrollCommand(command, { out: io.out, warn: io.err, now, ...(io.fetch ? { fetch: io.fetch } : {}) });
      case 'run':
        return await runCommand(command, { out: io.out, ...io.run });
      case 'status':
        return statusCommand(command, { out: io.out, now });
    }
  } catch (error) {
    if (error instanceof AgentError) {
      io.err(`outpost-agent: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
