/** Where a running agent reports; one line per event, prefixed with the time for plain log files. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export function consoleLogger(now: () => number = Date.now): Logger {
  const line = (level: string, message: string) => `${new Date(now()).toISOString()} ${level} ${message}\n`;
  return {
    info: (message) => void process.stdout.write(line('info', message)),
    warn: (message) => void process.stderr.write(line('warn', message)),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };
