import packageJson from '../package.json' with { type: 'json' };

/** Sent with every enrollment and batch so the server can tell agent releases apart. */
export const AGENT_VERSION: string = packageJson.version;
