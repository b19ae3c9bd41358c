import { main } from './cli/main.ts';

// Files the agent creates (outbox, WAL, lock) hold device data: owner only from the start.
process.umask(0o077);

main(process.argv.slice(2), {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`outpost-agent: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70; // EX_SOFTWARE: a bug, not a condition the user can fix
  },
);
