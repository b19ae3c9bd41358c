/**
 * The server's entry point for test processes: server/main.ts, plus an exit when the test
 * process that started it is gone (killed, timed out), so no server outlives its test run.
 */
const testProcess = process.ppid;
setInterval(() => {
  if (process.ppid !== testProcess) process.exit(1);
}, 1000).unref();
await import('../../server/main.ts');

export {};
