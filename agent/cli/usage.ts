import { DEVICE_KINDS } from '../../shared/schema/device.ts';
import { DEFAULT_INTERVAL_SECONDS } from './args.ts';

export function usage(defaultStateDir: string): string {
  return `outpost-agent: reports this device's inventory and health to an Outpost server.

Usage:
  outpost-agent enroll --server URL --token TOKEN [--kind KIND] [--force] [--state-dir DIR]
      Exchange a site enrollment token (from an Outpost admin) for this device's identity.
      --kind: ${DEVICE_KINDS.join(', ')}
      --force: enroll again, replacing the stored identity.
  outpost-agent run [--interval SECONDS] [--once] [--state-dir DIR]
      Collect, check and deliver every interval (default ${DEFAULT_INTERVAL_SECONDS} s) until stopped.
      --once: one collection and delivery, then exit (for cron and tests).
  outpost-agent status [--state-dir DIR]
      Where this agent is enrolled, its last delivery and what waits in its outbox.

State directory (credentials and outbox): ${defaultStateDir}
The agent only reports; it never runs anything a server sends.
`;
}
