import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { Id, Timestamp } from '../../shared/schema/common.ts';
import { AgentError } from '../errors.ts';

/** Same alphabet and length the server's bearer parser accepts. */
const DeviceSecret = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the secret the server issued'));

export const Credentials = v.strictObject({
  server: v.pipe(v.string(), v.url()),
  deviceId: Id,
  deviceSecret: DeviceSecret,
  orgId: Id,
  siteId: Id,
  enrolledAt: Timestamp,
});
export type Credentials = v.InferOutput<typeof Credentials>;

export const credentialsPath = (stateDir: string): string => join(stateDir, 'credentials.json');

/** The state dir holds the device secret and the outbox: owner only, whoever created it. */
export function ensureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(stateDir, 0o700);
}

/** undefined when the agent was never enrolled; an AgentError when the file is unreadable. */
export function readCredentials(stateDir: string): Credentials | undefined {
  const path = credentialsPath(stateDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AgentError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = v.safeParse(Credentials, parsed);
  if (!result.success) throw new AgentError(`${path} is damaged: enroll again with --force`);
  return result.output;
}

/**
 * Written to a fresh 0600 file, fsynced and renamed over the old one, so a crash leaves either
 * the old credentials or the new, never half a secret or a moment of wider permissions.
 */
export function writeCredentials(stateDir: string, credentials: Credentials): void {
  ensureStateDir(stateDir);
  const path = credentialsPath(stateDir);
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credentials, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  syncDirectory(stateDir);
}

/** The rename is durable only once the directory entry is; Windows cannot open directories. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
