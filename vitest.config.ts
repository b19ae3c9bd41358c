import { defineConfig } from 'vitest/config';

const everything = ['{shared,server,client,agent}/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A poll waits for a state to arrive (a live query after a page load, a sync); one second is
    // too little on a loaded two-core CI machine, and a wrong state still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    // Browser tests need a Chromium: found, or installed once per run.
    globalSetup: ['e2e/support/global-setup.ts'],
    // Integration suites start real servers; two cores favour a small pool.
    pool: 'forks',
    maxWorkers: 2,
    // With TEST_DATABASE_URL, the HTTP integration suites (test/) run a second time, each test
    // server on PostgreSQL in a fresh schema (test/support/server.ts reads OUTPOST_TEST_STORE).
    ...(process.env['TEST_DATABASE_URL']
      ? {
          projects: [
            { extends: true, test: { name: 'sqlite', include: everything } },
            { extends: true, test: { name: 'postgres', include: ['test/**/*.test.ts'], env: { OUTPOST_TEST_STORE: 'postgres' } } },
          ],
        }
      : { include: everything }),
  },
});
