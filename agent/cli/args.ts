import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEVICE_KINDS } from '../../shared/schema/device.ts';
import { UsageError } from '../errors.ts';

export type DeviceKind = (typeof DEVICE_KINDS)[number];

export type Command =
  | { name: 'enroll'; server: string; token: string; stateDir: string; force: boolean; deviceKind?: DeviceKind }
  | { name: 'run'; stateDir: string; intervalSeconds: number; once: boolean }
  | { name: 'status'; stateDir: string }
  | { name: 'help' }
  | { name: 'version' };

export const DEFAULT_INTERVAL_SECONDS = 60;
const MIN_INTERVAL_SECONDS = 10;
const MAX_INTERVAL_SECONDS = 86_400;

const OPTIONS = {
  enroll: {
    server: { type: 'string' },
    token: { type: 'string' },
    'state-dir': { type: 'string' },
    kind: { type: 'string' },
    force: { type: 'boolean' },
  },
  run: {
    'state-dir': { type: 'string' },
    interval: { type: 'string' },
    once: { type: 'boolean' },
  },
  status: {
    'state-dir': { type: 'string' },
  },
} as const satisfies Record<string, ParseArgsConfig['options']>;

type CommandName = keyof typeof OPTIONS;
const isCommandName = (name: string): name is CommandName => Object.hasOwn(OPTIONS, name);

/** Parses and validates the whole command line; anything wrong is a UsageError naming the fix. */
export function parseCommand(argv: readonly string[], defaultStateDir: () => string): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  if (name === 'version' || name === '--version' || name === '-v') return { name: 'version' };
  if (!isCommandName(name)) throw new UsageError(`unknown command "${name}": use enroll, run or status (outpost-agent help)`);
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help' };

  const values = parseOptions(name, rest);
  const stateDir = stateDirFrom(values['state-dir'], defaultStateDir);
  switch (name) {
    case 'enroll': {
      const deviceKind = values['kind'] === undefined ? undefined : deviceKindFrom(values['kind']);
      return {
        name,
        server: serverFrom(required(values['server'], 'enroll', 'server', 'https://outpost.example.com')),
        token: tokenFrom(required(values['token'], 'enroll', 'token', 'TOKEN')),
        stateDir,
        force: values['force'] === true,
        ...(deviceKind === undefined ? {} : { deviceKind }),
      };
    }
    case 'run':
      return { name, stateDir, intervalSeconds: intervalFrom(values['interval']), once: values['once'] === true };
    case 'status':
      return { name, stateDir };
  }
}

type OptionValues = Record<string, string | boolean | undefined>;

function parseOptions(command: CommandName, args: string[]): OptionValues {
  try {
    const { values } = parseArgs({ args, options: OPTIONS[command], strict: true, allowPositionals: false });
    return values as OptionValues;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const quoted = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${quoted} for ${command} (outpost-agent help)`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /--[a-z-]+/.exec((error as Error).message)?.[0] ?? quoted;
      throw new UsageError(`${option} needs a value for ${command}, or takes none (outpost-agent help)`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument "${quoted}" for ${command} (outpost-agent help)`);
    throw error;
  }
}

function required(value: string | boolean | undefined, command: string, option: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${command} needs --${option} ${example}`);
  return value.trim();
}

/** http(s) only, no credentials or query in it; kept without a trailing slash. */
export function serverFrom(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server "${value}" is not a URL: give the server's address, such as https://outpost.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--server must start with https:// (or http:// for a test server), not ${url.protocol}//`);
  if (url.username || url.password) throw new UsageError('--server must not contain a user name or password');
  if (url.search || url.hash) throw new UsageError('--server must not contain a query or fragment: give the address of the server only');
  return url.href.replace(/\/+$/, '');
}

function tokenFrom(value: string): string {
  if (!/^\S{20,200}$/.test(value)) throw new UsageError('--token does not look like an enrollment token (20 to 200 characters, no spaces): copy it again from the admin page');
  return value;
}

function intervalFrom(value: string | boolean | undefined): number {
  if (value === undefined) return DEFAULT_INTERVAL_SECONDS;
  const seconds = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
    throw new UsageError(`--interval must be a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS}, not "${String(value)}"`);
  }
  return seconds;
}

function deviceKindFrom(value: string | boolean): DeviceKind {
  const kind = DEVICE_KINDS.find((k) => k === value);
  if (!kind) throw new UsageError(`--kind must be one of ${DEVICE_KINDS.join(', ')}`);
  return kind;
}

function stateDirFrom(value: string | boolean | undefined, defaultStateDir: () => string): string {
  if (value === undefined) return defaultStateDir();
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--state-dir needs a directory');
  return resolve(value);
}
