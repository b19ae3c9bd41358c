import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startAppServer, type AppServer } from './app-server.ts';
import { launchBrowser } from './browser.ts';

export interface Suite {
  readonly server: AppServer;
  readonly browser: Browser;
}

/** A test file's own server and browser: started before its tests, stopped after them. */
export function appSuite(options: Parameters<typeof startAppServer>[0] = {}): Suite {
  const suite: { server?: AppServer; browser?: Browser } = {};
  beforeAll(async () => {
    [suite.server, suite.browser] = await Promise.all([startAppServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return {
    get server() {
      if (!suite.server) throw new Error('the app server is not started yet (use it inside a test)');
      return suite.server;
    },
    get browser() {
      if (!suite.browser) throw new Error('the browser is not launched yet (use it inside a test)');
      return suite.browser;
    },
  };
}
