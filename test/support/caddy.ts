import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSTEM_CADDY = ['/usr/bin/caddy', '/usr/local/bin/caddy'];

export function findCaddy(): string | undefined {
  const configured = process.env['CADDY_PATH'];
  if (configured && existsSync(configured)) return configured;
  return SYSTEM_CADDY.find((path) => existsSync(path));
}

/**
 * A Caddy for the reverse-proxy test: one already here, else Debian's package (as root). A
 * reason instead when there is none, so the test can say why it is skipped.
 */
export function ensureCaddy(): { path: string } | { reason: string } {
  const found = findCaddy();
  if (found) return { path: found };
  if (process.getuid?.() !== 0) return { reason: 'caddy is not installed and only root installs it here: apt-get install caddy, or set CADDY_PATH' };
  const apt = (args: string[]) => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    try {
      apt(['install', '-y', '--no-install-recommends', 'caddy']);
    } catch {
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'caddy']);
    }
  } catch (error) {
    return { reason: `caddy could not be installed with apt-get: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const installed = findCaddy();
  return installed ? { path: installed } : { reason: 'apt-get installed caddy, but no caddy binary was found' };
}

export interface RunningCaddy {
  /** Everything Caddy wrote, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `caddy run` on a Caddyfile, with its home, configuration and data (the `tls internal`
 * CA) under `dir`: nothing of the machine's own Caddy is read or written.
 */
export function startCaddy(caddyPath: string, caddyfile: string, dir: string): RunningCaddy {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, caddyfile);
  const child = spawn(caddyPath, ['run', '--config', file, '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // 'close' also follows a failed start (spawn's 'error'), whose message is kept for the report.
  child.once('error', (error) => keep(Buffer.from(`\n${error.message}`)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A graceful stop waits for every proxied stream to end; a test does not.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
