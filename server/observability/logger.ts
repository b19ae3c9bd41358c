import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger };
export type LogLevel = LevelWithSilent;

/**
 * A second line of defence: the server logs chosen fields only (see request-log.ts), but should a
 * whole request, header set or body ever reach a log call, these are blanked before writing.
 */
export const REDACTED_PATHS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  'deviceSecret',
  'authorization',
  'cookie',
  'body',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.secret',
  '*.deviceSecret',
  '*.authorization',
  '*.cookie',
  '*.body',
  'headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go; standard output by default (tests pass an in-memory one). */
  destination?: DestinationStream;
}

/** JSON lines: level by name and ISO time, so a person can read them as well as a collector. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

let fallback: Logger | undefined;

/**
 * For code run without a server's logger (unit tests, scripts, a store opened by hand):
 * warnings and errors as JSON lines through console.error, where they went before, so a test
 * that silences console.error for an error it provokes silences these too.
 */
export function defaultLogger(): Logger {
  fallback ??= createLogger({ level: 'warn', destination: { write: (line: string) => console.error(line.trimEnd()) } });
  return fallback;
}
